import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { run } from '../../src/cli/main.js';

/** The local servers every machine of this project runs (see scripts/services.sh); overridable. */
export const PG_BASE = process.env.PGMY_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432';
export const MY_BASE = process.env.PGMY_TEST_MY ?? 'mysql://root@127.0.0.1:3306';

export function scratchName(prefix: string): string {
  return `pgmy_t_${prefix}_${randomBytes(4).toString('hex')}`;
}

export interface ScratchPg {
  readonly name: string;
  readonly url: string;
  query<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<T>>;
  drop(): Promise<void>;
}

/** A fresh PostgreSQL database for one test; drop() removes it. */
export async function scratchPg(prefix: string, sqlFiles: readonly string[] = []): Promise<ScratchPg> {
  const name = scratchName(prefix);
  const admin = new pg.Client({ connectionString: `${PG_BASE}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = `${PG_BASE}/${name}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  for (const f of sqlFiles) await client.query(await readFile(f, 'utf8'));
  return {
    name, url,
    query: (sql, params) => client.query(sql, params),
    drop: async () => {
      await client.end();
      const a = new pg.Client({ connectionString: `${PG_BASE}/postgres` });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

export interface ScratchMy {
  readonly name: string;
  readonly url: string;
  query<T = unknown>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/** A MySQL database name for one test (pgmy creates it); drop() removes it. */
export async function scratchMy(prefix: string): Promise<ScratchMy> {
  const name = scratchName(prefix);
  const conn = await mysql.createConnection({ uri: MY_BASE, multipleStatements: true, dateStrings: true, supportBigNumbers: true, bigNumberStrings: true });
  return {
    name, url: `${MY_BASE}/${name}`,
    query: async <T>(sql: string, params?: unknown[]) => {
      await conn.query(`CREATE DATABASE IF NOT EXISTS \`${name}\``);
      await conn.query(`USE \`${name}\``);
      const [rows] = await conn.query(sql, params);
      return rows as T[];
    },
    drop: async () => {
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    },
  };
}

/** Runs a statement on the target and returns the server's error code, 'CHECK' for a CHECK violation, or 'ok'. */
export async function attempt(my: ScratchMy, sql: string): Promise<string> {
  try {
    await my.query(sql);
    return 'ok';
  } catch (err) {
    // MariaDB's 4025 (CONSTRAINT failed) and MySQL's 3819 (check violated): mysql2 names 4025 after a MySQL code of that number.
    const e = err as { code?: string; errno?: number };
    return e.errno === 4025 || e.errno === 3819 ? 'CHECK' : e.code ?? String(err);
  }
}

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs the CLI in-process, capturing what it prints. */
export async function cli(...argv: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await run(argv, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

/** Loads a pg_dump-style SQL file (with COPY … FROM stdin blocks) through psql. */
export async function psqlFile(dbUrl: string, file: string): Promise<void> {
  const { execFile } = await import('node:child_process');
  await new Promise<void>((resolve, reject) => {
    execFile('psql', ['-q', '-X', '-v', 'ON_ERROR_STOP=1', '-d', dbUrl, '-f', file], { maxBuffer: 64 << 20 }, (err, _out, stderr) =>
      err ? reject(new Error(`psql -f ${file} failed: ${stderr}`)) : resolve());
  });
}
