import { randomBytes } from 'node:crypto';
import { sourceKey, type ServerFlavor, type TargetSchema, type TargetTable } from '../../model/target.js';
import type { MyConnection } from './connect.js';
import { errnoOf } from './error-codes.js';
import { addForeignKeysSql, createDatabaseSql, createSequenceSql, createTableSql, textCollation } from './ddl.js';
import { quoteMy } from './quote.js';

/** A statement the server refused when the schema was built empty, before any data moved. */
export interface Refusal {
  /** The MySQL table, as the schema names it. */
  readonly table: string;
  /** What it came from in PostgreSQL: `schema.table`, or the sequence's `schema.name`. */
  readonly source: string;
  readonly step: 'create sequence' | 'create table' | 'foreign keys';
  readonly message: string;
  readonly errno?: number;
}

/** Why the rehearsal itself could not run (no CREATE privilege on a new database, say), when it could not. */
export type Rehearsal = { readonly ran: true; readonly refused: readonly Refusal[] } | { readonly ran: false; readonly reason: string };

/**
 * Builds the whole schema, empty, in scratch databases of the target server — every table with its keys and
 * indexes, then the foreign keys with load's session settings — then drops them. What the server refuses (a type width InnoDB will not key, a limit pgmy does not know of) is found
 * before any data moves, and named. The rehearsal touches nothing of the user's.
 */
export async function rehearseSchema(conn: MyConnection, schema: TargetSchema, flavor: ServerFlavor, tag = randomBytes(4).toString('hex')): Promise<Rehearsal> {
  // Held while its scratch databases exist: those of a rehearsal whose session is gone are dropped here.
  await conn.query('SELECT GET_LOCK(?, 0)', [lockName(tag)]);
  try {
    await dropAbandoned(conn);
    return await rehearse(conn, schema, flavor, tag);
  } finally {
    await conn.query('SELECT RELEASE_LOCK(?)', [lockName(tag)]).catch(() => undefined);
  }
}

const PREFIX = '_pgmy_rehearsal_';
const lockName = (tag: string): string => `pgmy-rehearsal:${tag}`.slice(0, 64);

/**
 * Scratch databases a rehearsal left when it was killed or lost its connection (its DROPs never ran): the
 * session that made them held their lock until it ended, so a free lock means no one is using them.
 */
async function dropAbandoned(conn: MyConnection): Promise<void> {
  const [rows] = await conn.query('SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?', [`${PREFIX.replaceAll('_', '\\_')}%`]);
  for (const { name } of rows as Array<{ name: string }>) {
    const tag = new RegExp(`^${PREFIX}(.+)_\\d+$`).exec(name)?.[1];
    if (tag === undefined) continue;
    const [free] = await conn.query('SELECT IS_FREE_LOCK(?) AS free', [lockName(tag)]);
    if (Number((free as Array<{ free: number | null }>)[0]?.free) === 1) await conn.query(`DROP DATABASE IF EXISTS ${quoteMy(name)}`).catch(() => undefined);
  }
}

async function rehearse(conn: MyConnection, schema: TargetSchema, flavor: ServerFlavor, tag: string): Promise<Rehearsal> {
  const databases = new Map<string | undefined, string>();
  const scratch = (db: string | undefined): string => {
    let name = databases.get(db);
    if (name === undefined) {
      name = `${PREFIX}${tag}_${databases.size}`;
      databases.set(db, name);
    }
    return name;
  };
  const home = scratch(undefined);
  // Indexes go into CREATE TABLE (one statement a table: a third of the time of separate ALTERs, and InnoDB
  // checks a key the same way either way).
  const moved: TargetTable[] = schema.tables.map((t) => ({
    ...t, database: scratch(t.database), tableIndexes: [...t.tableIndexes, ...t.indexes], indexes: [],
    columns: t.columns.map((c) => (c.sequenceDefault ? { ...c, sequenceDefault: { database: scratch(c.sequenceDefault.database), name: c.sequenceDefault.name } } : c)),
    foreignKeys: t.foreignKeys.map((fk) => ({ ...fk, refDatabase: scratch(fk.refDatabase) })),
  }));
  const refused: Refusal[] = [];
  const failed = new Set<string>();
  const attempt = async (t: { readonly database?: string; readonly name: string; readonly source: string }, step: Refusal['step'], sql: string | undefined): Promise<void> => {
    const key = `${t.database ?? ''}.${t.name}`;
    if (sql === undefined || failed.has(key)) return;
    try {
      await conn.query(sql);
    } catch (err) {
      failed.add(key);
      const errno = errnoOf(err);
      // The server names the scratch database; the user knows their own.
      let message = (err as Error).message;
      for (const [real, name] of databases) message = message.replaceAll(`${name}/`, real !== undefined ? `${real}/` : '').replaceAll(name, real ?? 'the target database');
      refused.push({ table: t.name, source: t.source, step, message, ...(errno !== undefined ? { errno } : {}) });
    }
  };
  try {
    for (const db of new Set([home, ...databases.values()])) {
      try {
        await conn.query(createDatabaseSql(db, flavor));
      } catch (err) {
        return { ran: false, reason: `CREATE DATABASE ${db} was refused: ${(err as Error).message}` };
      }
    }
    if (flavor === 'mariadb') {
      for (const q of schema.sequences ?? []) await attempt({ database: scratch(q.database), name: q.name, source: q.source }, 'create sequence', createSequenceSql({ ...q, database: scratch(q.database) }));
    }
    for (const t of moved) await attempt({ ...t, source: sourceKey(t) }, 'create table', createTableSql(t, flavor, false, schema.textCollation ?? textCollation(flavor)));
    await conn.query('SET foreign_key_checks = 0');
    try {
      for (const t of moved) if (t.foreignKeys.length > 0) await attempt({ ...t, source: sourceKey(t) }, 'foreign keys', addForeignKeysSql(t, t.foreignKeys, home));
    } finally {
      await conn.query('SET foreign_key_checks = 1');
    }
    return { ran: true, refused };
  } finally {
    for (const db of databases.values()) await conn.query(`DROP DATABASE IF EXISTS ${quoteMy(db)}`).catch(() => undefined);
  }
}
