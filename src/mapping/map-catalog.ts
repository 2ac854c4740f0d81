import type { Catalog, Table } from '../model/catalog.js';
import { qualifiedName } from '../model/catalog.js';
import { virtualIndex } from './partial-unique.js';
import type { HiddenColumn, Notice, TargetColumn, TargetIndex, TargetSchema, TargetSequence, TargetTable } from '../model/target.js';
import { frameworkNotices, railsStrings } from './conventions.js';
import { placeSequences, sequenceCarried, toTargetSequence } from './sequences.js';
import { JOURNAL_TABLE } from '../target/mysql/journal.js';
import { columnTypes, translateCheck } from './check-translate.js';
import { mapTableColumn, type MapContext, type Note } from './map-column.js';
import { fitKeyColumns } from './key-fit.js';
import { unifyForeignKeyTypes } from './fk-types.js';
import { checkTableLimits, noteInheritance } from './table-limits.js';
import { chooseAutoIncrement, fitRowSize, keyIndex, mapForeignKey, mapIndex } from './map-keys.js';
import { MAX_IDENTIFIER, NameScope } from './names.js';
import { lookup, type Overrides } from './overrides.js';
import type { MapOptions } from './scan-model.js';
import { DEFAULTS } from '../defaults.js';
import { quoteMy } from '../target/mysql/quote.js';

export { MAX_KEY_BYTES, MAX_ROW_BYTES } from './map-keys.js';

/** pgmy's own table in the target; a source table of that name would collide with it. */
export const RESERVED_TABLE = JOURNAL_TABLE;


/** Turns the source catalog into the MySQL schema to create, with a notice for everything not carried as is. */
export function mapCatalog(catalog: Catalog, options: MapOptions & Overrides = {}): TargetSchema {
  const notices: Notice[] = [];
  const usedCasts = new Set<string>();
  const usedRenames = new Set<string>();
  const keyOf = (map: ReadonlyMap<string, unknown> | undefined, used: Set<string>, schema: string, ...rest: string[]): void => {
    const full = [schema, ...rest].join('.');
    used.add(map?.has(full) ? full : rest.join('.'));
  };
  const nameOf = (schema: string, table: string): string => lookup(options.renames, schema, table) ?? table;
  const fkNames = new NameScope();
  const dumped = new Set(catalog.tables.map(qualifiedName));
  const seen = new Map<string, string>();
  const primary = catalog.schemas.length === 1 || !catalog.schemas.includes('public') ? catalog.schemas[0] : 'public';
  const dbFor = (schema: string): string | undefined => {
    const mapped = options.schemaMap?.get(schema);
    if (mapped !== undefined) return mapped === '' ? undefined : mapped;
    return schema === primary ? undefined : schema;
  };
  const staged = catalog.tables.map((t) => {
    const database = dbFor(t.schema);
    const name = nameOf(t.schema, t.name);
    if (name !== t.name) {
      keyOf(options.renames, usedRenames, t.schema, t.name);
      if (name.length === 0 || [...name].length > MAX_IDENTIFIER || /\s$/.test(name)) {
        notices.push({ level: 'error', table: qualifiedName(t), message: `rename of ${qualifiedName(t)} to "${name}": a MySQL table name has 1 to 64 characters and does not end with a space` });
      }
    }
    const key = `${database ?? ''}.${name.toLowerCase()}`;
    const other = seen.get(key);
    if (other !== undefined) {
      notices.push({ level: 'error', table: qualifiedName(t),
        message: `table ${qualifiedName(t)} would land in the same MySQL database as ${other}, under the same name; map one schema elsewhere with --schema-map ${t.schema}=<database>` });
    }
    seen.set(key, qualifiedName(t));
    if (name === RESERVED_TABLE) notices.push({ level: 'error', table: qualifiedName(t), message: `table ${t.name} has the name of pgmy's journal table; rename it in PostgreSQL first` });
    const scan = options.scan?.get(qualifiedName(t));
    const probed = options.dumpedDefaults?.get(qualifiedName(t));
    const ctx: MapContext = {
      ...(probed ? { dumpedDefault: (column: string) => probed.get(column) } : {}),
      moneyScale: catalog.server.moneyScale, ...(options.conventions !== undefined ? { conventions: options.conventions } : {}), ...(catalog.server.ctype !== undefined ? { ctype: catalog.server.ctype } : {}), scan, policy: options.onUnrepresentable ?? DEFAULTS.onUnrepresentable,
      name, nameOf, padSpace: options.textCollation === undefined, ...(options.anyValues ? { anyValues: true } : {}),
      castOf: (column) => {
        const cast = lookup(options.casts, t.schema, t.name, column);
        if (cast !== undefined) keyOf(options.casts, usedCasts, t.schema, t.name, column);
        return cast;
      },
    };
    const table = qualifiedName(t);
    const note = (n: Omit<Notice, 'table'>): void => { notices.push({ table, ...n }); };
    const longest = (column: string): number | null | undefined => (options.scan ? (scan?.get(column)?.stats?.maxLength ?? null) : undefined);
    const fitted = fitKeyColumns(t, t.columns.map((c) => mapTableColumn(c, note, ctx)), note, { policy: options.textKeys ?? DEFAULTS.textKeys, table, longest });
    const columns = options.conventions === 'rails' ? railsStrings(t, fitted, longest) : fitted;
    return { table: t, columns, note, ctx, database };
  });
  unifyForeignKeyTypes(staged);
  const wantedSequences = new Map<string, TargetSequence>();
  const mappedTables = staged.map(({ table: t, columns, note, ctx, database }) => {
    const mapped = mapTable(t, columns, dumped, fkNames, note, ctx, dbFor, wantedSequences);
    return database !== undefined ? { ...mapped, database } : mapped;
  });
  const standalone = new Set<string>();
  for (const seq of catalog.sequences ?? []) {
    const s = toTargetSequence(seq, dbFor(seq.schema));
    standalone.add(`${seq.schema}.${seq.name}`);
    if (typeof s === 'string') {
      notices.push({ level: 'warning', object: `${seq.schema}.${seq.name}`, message: `sequence ${seq.schema}.${seq.name} (no column uses it) is not carried: ${s}` });
      continue;
    }
    wantedSequences.set(s.source, s);
    notices.push({ level: 'warning', object: s.source, message: `sequence ${s.source} (no column uses it): ${sequenceCarried(s)}` });
  }
  const { tables, sequences } = placeSequences(wantedSequences, mappedTables, notices);
  for (const [key, what] of [...[...options.casts?.keys() ?? []].map((k) => [k, 'column'] as const), ...[...options.renames?.keys() ?? []].map((k) => [k, 'table'] as const)]) {
    if (!(what === 'column' ? usedCasts : usedRenames).has(key)) {
      notices.push({ level: 'error', object: key, message: `${what === 'column' ? 'cast' : 'rename'} names ${key}, which is not a ${what} of a dumped table (write ${what === 'column' ? '[schema.]table.column' : '[schema.]table'})` });
    }
  }
  notices.push(...frameworkNotices(catalog, options.conventions));
  if (catalog.tables.length === 0) {
    // dump refuses an empty selection; plan must not call it ready.
    notices.push({ level: 'error', message: `no tables to move in schema${catalog.schemas.length > 1 ? 's' : ''} ${catalog.schemas.join(', ')}: check --schema, --tables and --exclude-tables` });
  }
  for (const o of catalog.otherObjects ?? []) {
    if (o.kind === 'sequence' && standalone.has(`${o.schema}.${o.name}`)) continue;
    notices.push({ level: 'warning', object: `${o.schema}.${o.name}`, message: `${o.kind} ${o.schema}.${o.name} is not carried: ${WHY_NOT[o.kind]}` });
  }
  const withSequences = sequences.length > 0 ? { sequences } : {};
  if (options.textCollation !== undefined) {
    if (!/^utf8mb4_[a-z0-9_]+$/.test(options.textCollation)) {
      notices.push({ level: 'error', message: `--text-collation ${options.textCollation}: expected a utf8mb4 collation, e.g. utf8mb4_unicode_ci` });
    } else {
      notices.push({ level: 'warning', message: `text uses ${options.textCollation}, not the binary no-pad collation: values PostgreSQL sees as different may be equal in MySQL (case, accents, trailing spaces); unique keys that would collide make the load fail when their index is built (pgmy plan --target lists them first)` });
    }
    return { tables, ...withSequences, notices, textCollation: options.textCollation };
  }
  return { tables, ...withSequences, notices };
}

const WHY_NOT: Record<string, string> = {
  view: 'its SQL is PostgreSQL\'s; recreate it in MySQL by hand',
  'materialized view': 'MySQL has none; recreate it as a table or view by hand',
  trigger: 'its function is PL/pgSQL; rewrite it as a MySQL trigger by hand',
  function: 'PL/pgSQL and SQL functions do not run in MySQL; rewrite it by hand',
  procedure: 'PL/pgSQL procedures do not run in MySQL; rewrite it by hand',
  sequence: 'no column default uses it, and pgmy carries such sequences only when whole schemas are dumped (not with --tables)',
};

function mapTable(
  t: Table, mappedColumns: readonly TargetColumn[], dumped: ReadonlySet<string>, fkNames: NameScope, note: Note, ctx: MapContext,
  dbFor: (schema: string) => string | undefined, sequences: Map<string, TargetSequence>,
): TargetTable {
  if (t.kind === 'partitioned') {
    note({ level: 'info', message: 'partitioned table: carried as one table holding every partition\'s rows, with the foreign keys, checks and indexes every partition declares' });
  }
  for (const p of t.partitionOnly ?? []) {
    note({ level: p.kind === 'index' ? 'info' : 'warning', object: p.name, message: `${p.kind} ${p.name} ${p.definition} is declared on ${p.onLeaves} of the ${p.leaves} partitions: ${p.kind === 'index'
      ? 'carried for the whole table (an index changes no result)' : 'not carried, as on the one MySQL table it would refuse rows PostgreSQL holds'}` });
  }
  noteInheritance(t, note);
  let columns = [...mappedColumns];
  const names = new Map<string, string>();
  for (const c of t.columns) {
    const other = names.get(c.name.toLowerCase());
    if (other !== undefined) note({ level: 'error', column: c.name, message: `columns "${other}" and "${c.name}" differ only by case; MySQL column names ignore case` });
    names.set(c.name.toLowerCase(), c.name);
    if (/\s$/.test(c.name)) note({ level: 'error', column: c.name, message: `column "${c.name}" ends with a space, which MySQL does not allow in a name` });
  }
  if (/\s$/.test(t.name)) note({ level: 'error', message: `table "${t.name}" ends with a space, which MySQL does not allow in a name` });

  const pk = t.primaryKey?.columns;
  const autoInc = chooseAutoIncrement(t, columns, note, (p) => {
    const seq = toTargetSequence(p.sequence, dbFor(p.sequence.schema));
    if (typeof seq === 'string') {
      note({ level: 'warning', column: p.column, message: `sequence ${p.sequence.name} is not carried: ${p.why}; and as a sequence ${seq}; new rows get no number` });
      return;
    }
    sequences.set(seq.source, seq);
    columns = columns.map((c) => (c.name === p.column ? { ...c, sequenceDefault: { ...(seq.database !== undefined ? { database: seq.database } : {}), name: seq.name } } : c));
    note({ level: 'warning', column: p.column, message: `not AUTO_INCREMENT: ${p.why}; its default nextval('${p.sequence.name}'): ${sequenceCarried(seq)}, new rows get no number` });
  });
  if (autoInc) columns = columns.map((c) => (c.name === autoInc.column ? { ...c, autoIncrement: true } : c));
  const tableIndexes: TargetIndex[] = [];
  if (autoInc && pk?.[0] !== autoInc.column) {
    tableIndexes.push({ name: 'pgmy_auto_increment', unique: false, parts: [{ column: autoInc.column, descending: false }], source: 'added: MySQL needs an index led by the AUTO_INCREMENT column' });
    note({ level: 'info', column: autoInc.column, message: 'an index pgmy_auto_increment is added: MySQL needs one led by the AUTO_INCREMENT column' });
  }
  if (pk) {
    for (const name of pk) {
      const col = columns.find((c) => c.name === name);
      if (col && col.indexable !== 'yes') {
        note({ level: 'error', column: name, object: t.primaryKey?.name,
          message: `primary key column ${name} is ${col.sqlType} in MySQL, which can only be indexed through a prefix; that would weaken the key` });
      }
    }
  } else {
    note({ level: 'info', message: 'no primary key: every row is carried, duplicates included; InnoDB adds a hidden row id' });
  }
  columns = fitRowSize(columns, t, note);

  const indexes: TargetIndex[] = [];
  const indexNames = new NameScope();
  indexNames.take('PRIMARY');
  for (const ti of tableIndexes) indexNames.take(ti.name);
  for (const u of t.uniques) {
    const ix = keyIndex(u, true, `unique constraint ${u.name}`, columns, indexNames, note);
    if (ix) indexes.push(ix);
  }
  const colNames = t.columns.map((c) => c.name);
  const colTypes = columnTypes(t);
  const hiddenColumns: HiddenColumn[] = [];
  for (const i of t.indexes) {
    const predicate = i.unique && i.predicate !== undefined ? translateCheck(`CHECK (${i.predicate})`, colNames, undefined, colTypes) : undefined;
    const virtual = virtualIndex(i, predicate, columns, indexNames, note, ctx.ctype);
    if (virtual) {
      if (virtual.index) indexes.push(virtual.index);
      hiddenColumns.push(...virtual.hidden);
      continue;
    }
    const ix = mapIndex(i, columns, indexNames, note);
    if (ix) indexes.push(ix);
  }
  const checks: Array<{ name: string; expr: string }> = [];
  const addCheck = (wanted: string, expr: string, what: string): void => {
    // MySQL and MariaDB both refuse a CHECK on an AUTO_INCREMENT column (MySQL error 3818).
    if (autoInc && expr.includes(quoteMy(autoInc.column))) {
      note({ level: 'warning', object: wanted, message: `${what} is not carried: it names the AUTO_INCREMENT column ${autoInc.column}, which MySQL and MariaDB refuse in a CHECK` });
      return;
    }
    const name = fkNames.take(wanted);
    if (name !== wanted) note({ level: 'info', object: wanted, message: `${what} is named ${name} in MySQL: CHECK and foreign-key names are unique per database there, per table in PostgreSQL` });
    checks.push({ name, expr });
  };
  for (const c of t.checks) {
    const expr = translateCheck(c.definition, colNames, undefined, colTypes);
    if (expr !== undefined) addCheck(c.name, expr, `check ${c.name}`);
    else note({ level: 'warning', object: c.name, message: `check ${c.name} ${c.definition} is not carried: MySQL cannot say the same thing (or it is NOT VALID)` });
  }
  for (const c of t.columns) {
    for (const [i, def] of (c.type.domain?.checks ?? []).entries()) {
      const expr = translateCheck(def, colNames, c.name, colTypes);
      if (expr !== undefined) addCheck(`${t.name}_${c.name}_${c.type.domain?.name}_check${i > 0 ? i + 1 : ''}`, expr, `check ${def} of domain ${c.type.domain?.name ?? ''}`);
    }
  }
  for (const c of t.exclusions) {
    note({ level: 'warning', object: c.name, message: `exclusion constraint ${c.name} ${c.definition} is not carried: MySQL has no exclusion constraints` });
  }
  const foreignKeys = t.foreignKeys.flatMap((fk) => mapForeignKey(fk, dumped, fkNames, note).map((f) => {
    const refDatabase = dbFor(fk.refSchema);
    const renamed = { ...f, refTable: ctx.nameOf(fk.refSchema, fk.refTable) };
    return refDatabase !== undefined ? { ...renamed, refDatabase } : renamed;
  }));
  if (ctx.name !== t.name) note({ level: 'info', message: `renamed to ${ctx.name} (--rename / pgmy.json)` });
  checkTableLimits({ columns, indexes: [...tableIndexes, ...indexes], primaryKey: pk !== undefined, foreignKeys: foreignKeys.length }, note);
  return {
    sourceSchema: t.schema, sourceName: t.name, name: ctx.name, columns,
    ...(hiddenColumns.length > 0 ? { hiddenColumns } : {}),
    ...(pk ? { primaryKey: pk } : {}),
    tableIndexes, indexes, foreignKeys,
    ...(autoInc ? { autoIncrement: autoInc } : {}),
    ...(checks.length > 0 ? { checks } : {}),
    ...(t.comment !== undefined ? { comment: t.comment } : {}),
  };
}

