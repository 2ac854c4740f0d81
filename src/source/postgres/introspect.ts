import { readFileSync } from 'node:fs';
import type { PgClient } from './connect.js';
import { pgQueryError } from './connect.js';
import { partitionOwn, type PartitionConstraintRow, type PartitionIndexRow } from './partition-own.js';
import { PgmyError } from '../../errors.js';
import type {
  Catalog, CheckConstraint, Column, ColumnType, FkAction, ForeignKey, Index, KeyConstraint, OtherObject, Sequence, SourceServer, Table,
} from '../../model/catalog.js';

const queryCache = new Map<string, string>();
function sql(name: string): string {
  let text = queryCache.get(name);
  if (text === undefined) {
    text = readFileSync(new URL(`./queries/${name}.sql`, import.meta.url), 'utf8');
    queryCache.set(name, text);
  }
  return text;
}

async function rows<T>(client: PgClient, name: string, params: unknown[]): Promise<T[]> {
  try {
    return (await client.query(sql(name), params)).rows as T[];
  } catch (err) {
    throw pgQueryError(err, `reading the catalog (${name}.sql)`);
  }
}

interface TableRow {
  oid: string; schema: string; name: string; kind: string; estimated_rows: number | null; estimated_bytes: string; comment: string | null;
  inherits: string[]; children: string[];
}
interface ColumnRow {
  table_oid: string; position: number; name: string; type_oid: string; typmod: number; type_text: string; not_null: boolean;
  default_expr: string | null; identity: string; generated: string; comment: string | null; sequence_oid: string | null;
}
interface TypeRow {
  oid: string; schema: string; name: string; typtype: string; category: string; base_oid: string; base_typmod: number;
  elem_oid: string; len: number; display: string; not_null: boolean;
}
interface ConstraintRow {
  table_oid: string; name: string; type: string; columns: number[]; ref_table_oid: string; ref_columns: number[] | null;
  on_update: string; on_delete: string; match_type: string; deferrable: boolean; definition: string;
}
interface IndexRow {
  table_oid: string; name: string; is_unique: boolean; method: string; keys: number[]; key_count: number; options: number[];
  predicate: string | null; expressions: string | null; key_defs: string[]; definition: string;
}
interface SequenceRow {
  oid: string; schema: string; name: string; start: string; increment: string; min: string; max: string; cycle: boolean; cache: string; readable: boolean; last_value: string | null;
}

const FK_ACTIONS: Record<string, FkAction> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

export interface IntrospectOptions {
  readonly schemas: readonly string[];
  /** Table names to keep (`name` or `schema.name`); empty keeps all. */
  readonly tables?: readonly string[];
  readonly excludeTables?: readonly string[];
}

/** Reads everything pgmy needs to know about the source from pg_catalog, in the caller's transaction. */
export async function introspect(client: PgClient, options: IntrospectOptions): Promise<Catalog> {
  const [serverRow] = await rows<{
    server_version: string; server_version_num: number; database: string; time_zone: string; encoding: string; snapshot_time: string; money_scale: number; ctype: string;
  }>(client, 'server', []);
  if (!serverRow) throw new Error('server.sql returned no row');
  const server: SourceServer = {
    version: serverRow.server_version, versionNum: serverRow.server_version_num, database: serverRow.database,
    timeZone: serverRow.time_zone, encoding: serverRow.encoding, moneyScale: serverRow.money_scale, ctype: serverRow.ctype,
  };

  const found = new Set((await rows<{ name: string }>(client, 'schemas', [options.schemas])).map((r) => r.name));
  const missing = options.schemas.filter((n) => !found.has(n));
  if (missing.length > 0) {
    throw new PgmyError('nothing-selected', `No schema ${missing.join(', ')} in database ${server.database}.`, {
      hint: 'Check --schema (names are case-sensitive, as PostgreSQL stores them); psql\'s \\dn lists the schemas.',
    });
  }
  const allTables = await rows<TableRow>(client, 'tables', [options.schemas]);
  checkNamedTables(allTables, options);
  const tableRows = allTables.filter((t) => selected(t, options));
  const oids = tableRows.map((t) => t.oid);
  const allOids = allTables.map((t) => t.oid);

  // One connection runs one query at a time: these are sequential on purpose.
  const columnRows = await rows<ColumnRow>(client, 'columns', [allOids]);
  const typeRows = await rows<TypeRow>(client, 'types', [oids]);
  const constraintRows = await rows<ConstraintRow>(client, 'constraints', [oids]);
  const indexRows = await rows<IndexRow>(client, 'indexes', [oids]);
  const partitioned = tableRows.filter((t) => t.kind === 'p').map((t) => t.oid);
  const partConRows = partitioned.length > 0 ? await rows<PartitionConstraintRow>(client, 'partition-constraints', [partitioned]) : [];
  const partIdxRows = partitioned.length > 0 ? await rows<PartitionIndexRow>(client, 'partition-indexes', [partitioned]) : [];
  const types = new Map(typeRows.map((t) => [t.oid, t]));
  const enumOids = typeRows.filter((t) => t.typtype === 'e').map((t) => t.oid);
  const domainOids = typeRows.filter((t) => t.typtype === 'd').map((t) => t.oid);
  // Only the selected tables' sequences: a role that may read some tables need not read the others' sequences.
  const selectedOids = new Set(oids);
  const seqOids = [...new Set(columnRows.filter((c) => selectedOids.has(c.table_oid)).map((c) => c.sequence_oid).filter((s): s is string => s !== null))];
  const enumRows = await rows<{ type_oid: string; label: string }>(client, 'enums', [enumOids]);
  const domainCheckRows = await rows<{ type_oid: string; name: string; definition: string }>(client, 'domain-checks', [domainOids]);
  // A standalone sequence belongs to the schema, not to a table: carried when whole schemas are.
  const freeOids = (options.tables ?? []).length > 0 ? [] : (await rows<{ oid: string }>(client, 'free-sequences', [options.schemas])).map((r) => r.oid);
  const seqRows = await rows<SequenceRow>(client, 'sequences', [[...seqOids, ...freeOids]]);
  const enumLabels = groupBy(enumRows, (r) => r.type_oid);
  const domainChecks = groupBy(domainCheckRows, (r) => r.type_oid);
  const sequences = new Map(seqRows.map((s) => [s.oid, toSequence(s)]));
  const columnsByTable = groupBy(columnRows, (c) => c.table_oid);
  // By table, once: a filter per table over all rows was quadratic (3000 tables: 0.13 s of the catalog).
  const constraintsByTable = groupBy(constraintRows, (c) => c.table_oid);
  const indexesByTable = groupBy(indexRows, (i) => i.table_oid);
  const partConsByTable = groupBy(partConRows, (r) => r.table_oid);
  const partIdxByTable = groupBy(partIdxRows, (r) => r.table_oid);
  const tableNames = new Map(allTables.map((t) => [t.oid, t]));

  /** `declared` is format_type() of the column, with its modifier (`numeric(12,2)`), shown for non-domain types. */
  const resolveType = (oid: string, typmod: number, declared?: string): ColumnType => {
    let t = types.get(oid);
    let mod = typmod;
    let domain: ColumnType['domain'];
    while (t && t.typtype === 'd') {
      if (!domain) domain = { schema: t.schema, name: t.name, checks: (domainChecks.get(t.oid) ?? []).map((c) => c.definition), notNull: false };
      // A domain over a domain: NOT NULL anywhere down the chain holds.
      if (t.not_null) domain = { ...domain, notNull: true };
      mod = t.base_typmod;
      t = types.get(t.base_oid);
    }
    if (!t) return { display: `type ${oid}`, kind: 'other', name: `oid ${oid}`, schema: '', typmod: mod };
    const kind: ColumnType['kind'] =
      t.typtype === 'e' ? 'enum'
      : t.category === 'A' && t.elem_oid !== '0' ? 'array'
      : t.typtype === 'c' ? 'composite'
      : t.typtype === 'r' ? 'range'
      : t.typtype === 'm' ? 'multirange'
      : t.typtype === 'p' ? 'pseudo'
      : t.typtype === 'b' ? 'base' : 'other';
    const labels = kind === 'enum' ? (enumLabels.get(t.oid) ?? []).map((e) => e.label) : undefined;
    return {
      display: !domain && declared ? declared : t.display, kind, name: t.name, schema: t.schema, typmod: mod,
      ...(domain ? { domain } : {}), ...(labels ? { enumLabels: labels } : {}),
    };
  };

  const tables: Table[] = tableRows.map((t) => {
    const cols = (columnsByTable.get(t.oid) ?? []).map((c): Column => toColumn(c, resolveType(c.type_oid, c.typmod, c.type_text), sequences));
    const nameOf = (attnum: number): string => cols.find((c) => c.position === attnum)?.name ?? `#${attnum}`;
    const refNameOf = (tableOid: string, attnum: number): string =>
      (columnsByTable.get(tableOid) ?? []).find((c) => c.position === attnum)?.name ?? `#${attnum}`;
    const cons = constraintsByTable.get(t.oid) ?? [];
    const key = (c: ConstraintRow): KeyConstraint => ({ name: c.name, columns: (c.columns ?? []).map(nameOf), deferrable: c.deferrable });
    const pk = cons.find((c) => c.type === 'p');
    const foreignKeys = cons.filter((c) => c.type === 'f').map((c): ForeignKey => {
      const ref = tableNames.get(c.ref_table_oid);
      return {
        name: c.name, columns: (c.columns ?? []).map(nameOf),
        refSchema: ref?.schema ?? '?', refTable: ref?.name ?? `oid ${c.ref_table_oid}`,
        refColumns: (c.ref_columns ?? []).map((n) => refNameOf(c.ref_table_oid, n)),
        onUpdate: FK_ACTIONS[c.on_update] ?? 'NO ACTION', onDelete: FK_ACTIONS[c.on_delete] ?? 'NO ACTION',
        matchFull: c.match_type === 'f', deferrable: c.deferrable, definition: c.definition,
      };
    });
    const check = (c: ConstraintRow): CheckConstraint => ({ name: c.name, definition: c.definition });
    const indexes = (indexesByTable.get(t.oid) ?? []).map((i): Index => ({
      name: i.name, unique: i.is_unique, method: i.method,
      keys: i.keys.slice(0, i.key_count).map((k, n) => ({
        ...(k === 0 ? { expression: i.key_defs[n] ?? '' } : { column: nameOf(k) }), descending: ((i.options[n] ?? 0) & 1) === 1,
      })),
      includeColumns: i.keys.slice(i.key_count).map(nameOf),
      ...(i.predicate ? { predicate: i.predicate } : {}),
      ...(i.expressions ? { expressions: i.expressions } : {}),
      definition: i.definition,
    }));
    const own = partitionOwn(partConsByTable.get(t.oid) ?? [], partIdxByTable.get(t.oid) ?? [],
      cols.map((c) => c.name), (oid) => tableNames.get(oid), FK_ACTIONS);
    return {
      schema: t.schema, name: t.name, kind: t.kind === 'p' ? 'partitioned' : 'table', columns: cols,
      ...(pk ? { primaryKey: key(pk) } : {}),
      uniques: cons.filter((c) => c.type === 'u').map(key),
      indexes: [...indexes, ...own.indexes], foreignKeys: [...foreignKeys, ...own.foreignKeys],
      ...(own.partial.length > 0 ? { partitionOnly: own.partial } : {}),
      checks: [...cons.filter((c) => c.type === 'c').map(check), ...own.checks],
      exclusions: cons.filter((c) => c.type === 'x').map(check),
      estimatedRows: Math.max(0, Number(t.estimated_rows ?? -1)), estimatedBytes: Number(t.estimated_bytes),
      ...(t.estimated_rows === null || Number(t.estimated_rows) < 0 ? { rowsUnknown: true } : {}),
      ...(t.comment !== null ? { comment: t.comment } : {}),
      ...(t.inherits.length > 0 ? { inherits: t.inherits } : {}),
      ...(t.children.length > 0 ? { children: t.children } : {}),
    };
  });
  const otherObjects = await rows<OtherObject>(client, 'other-objects', [options.schemas]);
  const freeSequences = freeOids.flatMap((oid) => sequences.get(oid) ?? []);
  return {
    server, snapshotTime: serverRow.snapshot_time, schemas: [...options.schemas], tables, otherObjects,
    ...(freeSequences.length > 0 ? { sequences: freeSequences } : {}),
  };
}

function toColumn(c: ColumnRow, type: ColumnType, sequences: Map<string, Sequence>): Column {
  const seq = c.sequence_oid !== null ? sequences.get(c.sequence_oid) : undefined;
  return {
    name: c.name, position: c.position, type, notNull: c.not_null,
    ...(c.default_expr !== null && c.generated === '' ? { defaultExpr: c.default_expr } : {}),
    ...(c.identity === 'a' ? { identity: 'always' as const } : c.identity === 'd' ? { identity: 'by default' as const } : {}),
    ...(c.generated !== '' && c.default_expr !== null ? { generatedExpr: c.default_expr } : {}),
    ...(seq ? { sequence: seq } : {}),
    ...(c.comment !== null ? { comment: c.comment } : {}),
  };
}

function toSequence(s: SequenceRow): Sequence {
  const next = s.last_value === null ? BigInt(s.start) : BigInt(s.last_value) + BigInt(s.increment);
  return {
    schema: s.schema, name: s.name, increment: s.increment, nextValue: next.toString(),
    min: s.min, max: s.max, cycle: s.cycle, cache: s.cache, ...(s.readable ? {} : { unreadable: true }),
  };
}

/** Every name in --tables and --exclude-tables must be a table of the schemas read: a typo is not an empty filter. */
function checkNamedTables(all: readonly TableRow[], o: IntrospectOptions): void {
  for (const [option, list] of [['--tables', o.tables ?? []], ['--exclude-tables', o.excludeTables ?? []]] as const) {
    const unknown = list.filter((n) => !all.some((t) => n === t.name || n === `${t.schema}.${t.name}`));
    if (unknown.length > 0) {
      throw new PgmyError('nothing-selected', `${option} names ${unknown.join(', ')}, which ${unknown.length === 1 ? 'is not a table' : 'are not tables'} of schema${o.schemas.length > 1 ? 's' : ''} ${o.schemas.join(', ')}.`, {
        hint: 'Write table or schema.table as PostgreSQL names them (case-sensitive); `pgmy plan` lists the tables.',
      });
    }
  }
}

function selected(t: TableRow, o: IntrospectOptions): boolean {
  const matches = (list: readonly string[]) => list.some((n) => n === t.name || n === `${t.schema}.${t.name}`);
  if (o.tables && o.tables.length > 0 && !matches(o.tables)) return false;
  if (o.excludeTables && matches(o.excludeTables)) return false;
  return true;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = m.get(k);
    if (list) list.push(item);
    else m.set(k, [item]);
  }
  return m;
}
