import type { Catalog, Column, ForeignKey, Index, KeyConstraint, Table } from '../model/catalog.js';
import { qualifiedName } from '../model/catalog.js';
import { literalMy } from '../target/mysql/quote.js';
import { quotePg } from '../source/postgres/quote.js';
import { translateCheck } from './check-translate.js';
import { translateDefault } from './defaults.js';
import { MAX_IDENTIFIER, NameScope } from './names.js';
import { castColumn, lookup, parseCastType, type Overrides } from './overrides.js';
import type { ColumnRule, Notice, TargetColumn, TargetForeignKey, TargetIndex, TargetIndexPart, TargetSchema, TargetTable } from '../model/target.js';
import { fill, type ColumnScan, type MapOptions } from './scan-model.js';
import { ARRAY_RULE, COMPOSITE_RULE, ENUM_RULE, HSTORE_RULE, RANGE_RULE, ruleFor, TEXT_FORM_RULE, type TypeChoice } from './type-rules.js';

/** pgmy's own table in the target; a source table of that name would collide with it. */
export const RESERVED_TABLE = '_pgmy_journal';

/** InnoDB's largest index key (DYNAMIC/COMPRESSED rows) and largest row, in bytes. */
export const MAX_KEY_BYTES = 3072;
export const MAX_ROW_BYTES = 65535;

const INTEGER_TYPES = new Set(['SMALLINT', 'INT', 'BIGINT']);

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
  const tables = catalog.tables.map((t) => {
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
    const ctx: MapContext = {
      moneyScale: catalog.server.moneyScale, scan: options.scan?.get(qualifiedName(t)), policy: options.onUnrepresentable ?? 'error',
      name, nameOf,
      castOf: (column) => {
        const cast = lookup(options.casts, t.schema, t.name, column);
        if (cast !== undefined) keyOf(options.casts, usedCasts, t.schema, t.name, column);
        return cast;
      },
    };
    const mapped = mapTable(t, dumped, fkNames, notices, ctx, dbFor);
    return database !== undefined ? { ...mapped, database } : mapped;
  });
  for (const [key, what] of [...[...options.casts?.keys() ?? []].map((k) => [k, 'column'] as const), ...[...options.renames?.keys() ?? []].map((k) => [k, 'table'] as const)]) {
    if (!(what === 'column' ? usedCasts : usedRenames).has(key)) {
      notices.push({ level: 'error', object: key, message: `${what === 'column' ? 'cast' : 'rename'} names ${key}, which is not a ${what} of a dumped table (write ${what === 'column' ? '[schema.]table.column' : '[schema.]table'})` });
    }
  }
  for (const o of catalog.otherObjects ?? []) {
    notices.push({ level: 'warning', object: `${o.schema}.${o.name}`, message: `${o.kind} ${o.schema}.${o.name} is not carried: ${WHY_NOT[o.kind]}` });
  }
  if (options.textCollation !== undefined) {
    if (!/^utf8mb4_[a-z0-9_]+$/.test(options.textCollation)) {
      notices.push({ level: 'error', message: `--text-collation ${options.textCollation}: expected a utf8mb4 collation, e.g. utf8mb4_unicode_ci` });
    } else {
      notices.push({ level: 'warning', message: `text uses ${options.textCollation}, not the binary no-pad collation: values PostgreSQL sees as different may be equal in MySQL (case, accents, trailing spaces); unique keys that would collide make the load fail when their index is built (pgmy plan --target lists them first)` });
    }
    return { tables, notices, textCollation: options.textCollation };
  }
  return { tables, notices };
}

const WHY_NOT: Record<string, string> = {
  view: 'its SQL is PostgreSQL\'s; recreate it in MySQL by hand',
  'materialized view': 'MySQL has none; recreate it as a table or view by hand',
  trigger: 'its function is PL/pgSQL; rewrite it as a MySQL trigger by hand',
  function: 'PL/pgSQL and SQL functions do not run in MySQL; rewrite it by hand',
  procedure: 'PL/pgSQL procedures do not run in MySQL; rewrite it by hand',
  sequence: 'no column default uses it; MariaDB has CREATE SEQUENCE, MySQL has no sequences',
};

interface MapContext {
  readonly moneyScale: number;
  readonly scan: ReadonlyMap<string, ColumnScan> | undefined;
  readonly policy: NonNullable<MapOptions['onUnrepresentable']>;
  /** The table's MySQL name, any table's (for foreign keys), and the user's cast of a column. */
  readonly name: string;
  readonly nameOf: (schema: string, table: string) => string;
  readonly castOf: (column: string) => string | undefined;
}

function mapTable(t: Table, dumped: ReadonlySet<string>, fkNames: NameScope, notices: Notice[], ctx: MapContext, dbFor: (schema: string) => string | undefined): TargetTable {
  const table = qualifiedName(t);
  const note = (n: Omit<Notice, 'table'>): void => { notices.push({ table, ...n }); };
  if (t.kind === 'partitioned') {
    note({ level: 'info', message: 'partitioned table: carried as one table holding every partition\'s rows; indexes and constraints declared only on partitions are not carried' });
  }
  let columns = t.columns.map((c) => userCast(applyScan(mapColumn(c, note, ctx), c, note, ctx), note, ctx));
  const names = new Map<string, string>();
  for (const c of t.columns) {
    const other = names.get(c.name.toLowerCase());
    if (other !== undefined) note({ level: 'error', column: c.name, message: `columns "${other}" and "${c.name}" differ only by case; MySQL column names ignore case` });
    names.set(c.name.toLowerCase(), c.name);
    if (/\s$/.test(c.name)) note({ level: 'error', column: c.name, message: `column "${c.name}" ends with a space, which MySQL does not allow in a name` });
  }
  if (/\s$/.test(t.name)) note({ level: 'error', message: `table "${t.name}" ends with a space, which MySQL does not allow in a name` });

  const pk = t.primaryKey?.columns;
  const autoInc = chooseAutoIncrement(t, columns, note);
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
  for (const i of t.indexes) {
    const ix = mapIndex(i, columns, indexNames, note);
    if (ix) indexes.push(ix);
  }
  const colNames = t.columns.map((c) => c.name);
  const checks: Array<{ name: string; expr: string }> = [];
  for (const c of t.checks) {
    const expr = translateCheck(c.definition, colNames);
    if (expr !== undefined) checks.push({ name: fkNames.take(c.name), expr });
    else note({ level: 'warning', object: c.name, message: `check ${c.name} ${c.definition} is not carried: MySQL cannot say the same thing (or it is NOT VALID)` });
  }
  for (const c of t.columns) {
    for (const [i, def] of (c.type.domain?.checks ?? []).entries()) {
      const expr = translateCheck(def, colNames, c.name);
      if (expr !== undefined) checks.push({ name: fkNames.take(`${t.name}_${c.name}_${c.type.domain?.name}_check${i > 0 ? i + 1 : ''}`), expr });
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
  return {
    sourceSchema: t.schema, sourceName: t.name, name: ctx.name, columns,
    ...(pk ? { primaryKey: pk } : {}),
    tableIndexes, indexes, foreignKeys,
    ...(autoInc ? { autoIncrement: autoInc } : {}),
    ...(checks.length > 0 ? { checks } : {}),
    ...(t.comment !== undefined ? { comment: t.comment } : {}),
  };
}

type Note = (n: Omit<Notice, 'table'>) => void;

function mapColumn(c: Column, note: Note, ctx: MapContext): TargetColumn {
  const t = c.type;
  const quoted = quotePg(c.name);
  const base = { name: c.name, nullable: !c.notNull, autoIncrement: false, sourceType: t.domain ? `${t.domain.schema}.${t.domain.name}` : t.display };
  if (t.domain) {
    note({ level: untranslatable(t.domain.checks, c.name).length > 0 ? 'warning' : 'info', column: c.name,
      message: `domain ${t.domain.schema}.${t.domain.name} is carried as its base type ${t.display}${untranslatable(t.domain.checks, c.name).length > 0 ? `; its checks ${untranslatable(t.domain.checks, c.name).join(', ')} are not carried` : t.domain.checks.length > 0 ? ', its checks as CHECK constraints' : ''}` });
  }
  const fromChoice = (kind: string, choice: TypeChoice, select: string, load: TargetColumn['load'] = 'direct', transform: ColumnRule['transform'] = 'native') => ({
    sqlType: choice.sqlType, textual: choice.textual ?? false, rule: { kind, transform, flags: [] }, selectExpr: select, load,
    maxBytes: choice.maxBytes, indexable: choice.indexable ?? 'yes',
  });
  const json: TypeChoice = { sqlType: 'JSON', maxBytes: 12, indexable: 'no' };
  const longText: TypeChoice = { sqlType: 'LONGTEXT', maxBytes: 12, textual: true, indexable: 'prefix' };
  let mapped: Omit<TargetColumn, keyof typeof base | 'defaultSql' | 'comment'>;
  if (t.kind === 'enum') {
    const labels = t.enumLabels ?? [];
    const awkward = labels.find((l) => l === '' || /\s$/.test(l) || [...l].length > 255);
    if (awkward !== undefined || labels.length === 0) {
      const longest = Math.max(1, ...labels.map((l) => [...l].length));
      note({ level: 'info', column: c.name, message: `enum ${t.display} has a label MySQL's ENUM cannot hold as is; carried as VARCHAR(${longest})` });
      mapped = { sqlType: `VARCHAR(${longest})`, textual: true, rule: { kind: 'enum-as-varchar', transform: 'native', flags: [] }, selectExpr: quoted, load: 'direct', maxBytes: longest * 4 + 2, indexable: 'yes' };
    } else {
      mapped = { sqlType: `ENUM(${labels.map(literalMy).join(',')})`, textual: true, rule: { kind: ENUM_RULE.id, transform: 'native', flags: [] }, selectExpr: quoted, load: 'direct', maxBytes: 2, indexable: 'yes' };
    }
  } else if (t.kind === 'array') {
    mapped = fromChoice(ARRAY_RULE.id, json, `to_json(${quoted})`);
  } else if (t.kind === 'composite') {
    mapped = fromChoice(COMPOSITE_RULE.id, json, `to_json(${quoted})`);
  } else if (t.kind === 'range' || t.kind === 'multirange') {
    mapped = fromChoice(RANGE_RULE.id, longText, `${quoted}::text`);
  } else if (t.kind === 'base' && t.name === 'hstore') {
    mapped = fromChoice(HSTORE_RULE.id, json, `${quotePg(t.schema)}.hstore_to_json(${quoted})`);
  } else if (t.kind === 'base' && !ruleFor(t)) {
    note({ level: 'warning', column: c.name, message: `type ${t.display} has no MySQL counterpart pgmy knows; carried as its text form in LONGTEXT` });
    mapped = fromChoice(TEXT_FORM_RULE.id, longText, `${quoted}::text`);
  } else {
    const rule = ruleFor(t);
    const typeForRule = t.name === 'money' ? { ...t, typmod: ctx.moneyScale } : t;
    const choice = rule ? rule.choose(typeForRule, ctx.scan?.get(c.name)?.stats) : `type ${t.display} (${t.kind}) cannot be carried`;
    if (rule && typeof choice === 'string' && ctx.policy === 'text') {
      note({ level: 'warning', column: c.name, message: `column ${c.name}: ${choice}; carried as its text form in LONGTEXT (--on-unrepresentable=text)` });
      mapped = fromChoice(rule.id, longText, `${quoted}::text`, 'direct', 'text');
    } else if (!rule || typeof choice === 'string') {
      note({ level: 'error', column: c.name, message: `column ${c.name}: ${typeof choice === 'string' ? choice : ''}; exclude the table (--exclude-tables), or choose --on-unrepresentable=text` });
      mapped = { sqlType: 'LONGTEXT', textual: true, rule: { kind: 'unsupported', transform: 'native', flags: [] }, selectExpr: `${quoted}::text`, load: 'direct', maxBytes: 12, indexable: 'prefix' };
    } else {
      if (choice.note) note({ level: 'info', column: c.name, message: `${choice.sqlType}: ${choice.note}` });
      mapped = fromChoice(rule.id, choice, rule.select ? fill(rule.select, quoted) : quoted, rule.load ?? 'direct');
    }
  }
  if (c.generatedExpr !== undefined) {
    note({ level: 'warning', column: c.name, message: `generated column (${c.generatedExpr}): its values are copied, the expression is not carried` });
  }
  let defaultSql: string | undefined;
  if (c.defaultExpr !== undefined) {
    const fsp = /\((\d)\)/.exec(mapped.sqlType)?.[1];
    const d = translateDefault(c.defaultExpr, {
      pgType: t.kind === 'base' ? t.name : t.kind, needsExpression: /TEXT|BLOB|JSON/.test(mapped.sqlType),
      ...(fsp !== undefined ? { fractionalDigits: Number(fsp) } : {}),
    });
    if (d.kind === 'sql') defaultSql = d.sql;
    else if (d.kind === 'none') note({ level: 'warning', column: c.name, message: d.reason });
    else if (!c.sequence) note({ level: 'warning', column: c.name, message: `default ${c.defaultExpr} uses a sequence the column does not own; not carried` });
  }
  return { ...base, ...mapped, ...(defaultSql !== undefined ? { defaultSql } : {}), ...(c.comment !== undefined ? { comment: c.comment } : {}) };
}

function untranslatable(checks: readonly string[], column: string): string[] {
  return checks.filter((d) => translateCheck(d, [column], column) === undefined);
}

/** Applies what the scan found: values MySQL cannot hold are refused, nulled or carried as text, by policy. */
function applyScan(col: TargetColumn, c: Column, note: Note, ctx: MapContext): TargetColumn {
  const found = (ctx.scan?.get(c.name)?.failures ?? []).filter((f) => f.rows > 0);
  if (found.length === 0) return col;
  const what = found.map((f) => `${f.rows} row(s) with ${f.check.problem}${f.example ? ` (first: ${f.example})` : ''}`).join('; ');
  const quoted = quotePg(c.name);
  if (ctx.policy === 'error' || (ctx.policy === 'null' && col.autoIncrement)) {
    note({ level: 'error', column: c.name, message: `column ${c.name} holds ${what}; choose --on-unrepresentable=null or =text to carry the table anyway` });
    return col;
  }
  if (ctx.policy === 'null') {
    note({ level: 'warning', column: c.name, message: `column ${c.name} holds ${what}: those values become NULL (--on-unrepresentable=null)` });
    const bad = found.map((f) => `(${fill(f.check.predicate, quoted)})`).join(' OR ');
    return { ...col, nullable: true, nullWhen: bad, selectExpr: `CASE WHEN ${bad} THEN NULL ELSE ${col.selectExpr} END`, rule: { ...col.rule, flags: [...col.rule.flags, 'null'] } };
  }
  note({ level: 'warning', column: c.name, message: `column ${c.name} holds ${what}: the column is carried as its text form in LONGTEXT (--on-unrepresentable=text)` });
  return { ...col, sqlType: 'LONGTEXT', textual: true, selectExpr: `${quoted}::text`, load: 'direct', maxBytes: 12, indexable: 'prefix', rule: { ...col.rule, transform: 'text' }, defaultSql: undefined };
}

/** The user's --cast: their MySQL type, checked to be one; the values are written as pgmy's own choice writes them. */
function userCast(col: TargetColumn, note: Note, ctx: MapContext): TargetColumn {
  const cast = ctx.castOf(col.name);
  if (cast === undefined) return col;
  const shape = parseCastType(cast);
  if (typeof shape === 'string') {
    note({ level: 'error', column: col.name, message: `cast of ${col.name}: ${shape}` });
    return col;
  }
  note({ level: 'warning', column: col.name, message: `cast to ${shape.sqlType} (pgmy would choose ${col.sqlType}): each value must fit, or the load of its chunk stops naming the row; verify reports any value the cast changed` });
  return castColumn(col, shape);
}

function chooseAutoIncrement(t: Table, columns: readonly TargetColumn[], note: Note): TargetTable['autoIncrement'] {
  const candidates = t.columns.filter((c) => c.sequence && (c.identity || c.defaultExpr?.startsWith('nextval(')));
  const usable = candidates.filter((c) => INTEGER_TYPES.has(columns.find((x) => x.name === c.name)?.sqlType ?? ''));
  const chosen = usable.find((c) => c.name === t.primaryKey?.columns[0]) ?? usable[0];
  for (const c of candidates) {
    if (c !== chosen) note({ level: 'warning', column: c.name, message: `sequence ${c.sequence?.name} is not carried: MySQL allows one AUTO_INCREMENT column per table` });
  }
  if (!chosen?.sequence) return undefined;
  if (chosen.sequence.increment !== '1') {
    note({ level: 'info', column: chosen.name, message: `sequence increments by ${chosen.sequence.increment}; MySQL's AUTO_INCREMENT steps by auto_increment_increment` });
  }
  if (chosen.identity === 'always') {
    note({ level: 'info', column: chosen.name, message: 'GENERATED ALWAYS AS IDENTITY becomes AUTO_INCREMENT, which also accepts explicit values' });
  }
  return { column: chosen.name, next: chosen.sequence.nextValue };
}

/** Moves the widest VARCHARs that no index needs whole to LONGTEXT until the row fits 65,535 bytes. */
function fitRowSize(columns: TargetColumn[], t: Table, note: Note): TargetColumn[] {
  const total = (cols: readonly TargetColumn[]) => cols.reduce((sum, c) => sum + c.maxBytes, 0);
  if (total(columns) <= MAX_ROW_BYTES) return columns;
  const keyed = new Set([...(t.primaryKey?.columns ?? []), ...t.uniques.flatMap((u) => u.columns)]);
  const out = [...columns];
  const order = out.map((c, i) => ({ c, i })).filter(({ c }) => c.sqlType.startsWith('VARCHAR') && !keyed.has(c.name))
    .sort((a, b) => b.c.maxBytes - a.c.maxBytes);
  for (const { c, i } of order) {
    if (total(out) <= MAX_ROW_BYTES) break;
    out[i] = { ...c, sqlType: 'LONGTEXT', maxBytes: 12, indexable: 'prefix', rule: { ...c.rule, flags: [...c.rule.flags, 'row-size'] } };
    note({ level: 'info', column: c.name, message: `${c.sqlType} becomes LONGTEXT so that the row fits MySQL's 65,535-byte limit` });
  }
  if (total(out) > MAX_ROW_BYTES) note({ level: 'error', message: `rows would exceed MySQL's 65,535-byte limit even with wide columns as LONGTEXT` });
  return out;
}

function keyIndex(k: KeyConstraint, unique: boolean, source: string, columns: readonly TargetColumn[], names: NameScope, note: Note): TargetIndex | undefined {
  return buildIndex(k.name, unique, source, k.columns.map((c) => ({ column: c, descending: false })), columns, names, note);
}

function mapIndex(i: Index, columns: readonly TargetColumn[], names: NameScope, note: Note): TargetIndex | undefined {
  const what = `index ${i.name}`;
  if (i.expressions !== undefined || i.keys.some((k) => k.column === undefined)) {
    note({ level: 'warning', object: i.name, message: `${what} is on an expression, which pgmy does not carry: ${i.definition}` });
    return undefined;
  }
  if (i.method !== 'btree' && i.method !== 'hash') {
    note({ level: 'warning', object: i.name, message: `${what} uses the ${i.method} access method, which MySQL has no equivalent of; not carried` });
    return undefined;
  }
  if (i.predicate !== undefined) {
    if (i.unique) {
      note({ level: 'warning', object: i.name, message: `${what} is a partial unique index (WHERE ${i.predicate}); MySQL cannot enforce it, not carried` });
      return undefined;
    }
    note({ level: 'info', object: i.name, message: `${what} is partial (WHERE ${i.predicate}); carried as a full index` });
  }
  if (i.includeColumns.length > 0) {
    note({ level: 'info', object: i.name, message: `${what}: INCLUDE (${i.includeColumns.join(', ')}) is dropped; MySQL has no covering-only columns` });
  }
  const parts = i.keys.map((k) => ({ column: k.column ?? '', descending: k.descending }));
  return buildIndex(i.name, i.unique, what, parts, columns, names, note);
}

function buildIndex(
  name: string, unique: boolean, source: string, wanted: readonly TargetIndexPart[],
  columns: readonly TargetColumn[], names: NameScope, note: Note,
): TargetIndex | undefined {
  const cols = wanted.map((p) => columns.find((c) => c.name === p.column));
  if (cols.some((c) => c === undefined || c.indexable === 'no')) {
    note({ level: unique ? 'error' : 'warning', object: name, message: `${source}: a key column has a type MySQL cannot index (JSON)${unique ? '' : '; not carried'}` });
    return undefined;
  }
  const fixed = cols.reduce((sum, c) => sum + (c && c.indexable === 'yes' ? c.maxBytes : 0), 0);
  const prefixed = cols.filter((c) => c?.indexable === 'prefix').length;
  if (unique && (prefixed > 0 || fixed > MAX_KEY_BYTES)) {
    note({ level: 'error', object: name,
      message: `${source} on (${wanted.map((p) => p.column).join(', ')}) needs more than MySQL's ${MAX_KEY_BYTES}-byte key or a TEXT prefix; it could not be enforced exactly` });
    return undefined;
  }
  if (!unique && fixed > MAX_KEY_BYTES) {
    note({ level: 'warning', object: name, message: `${source} is longer than MySQL's ${MAX_KEY_BYTES}-byte key limit; not carried` });
    return undefined;
  }
  const prefixChars = prefixed > 0 ? Math.min(768, Math.floor((MAX_KEY_BYTES - fixed) / 4 / prefixed)) : 0;
  const parts = wanted.map((p, n) => (cols[n]?.indexable === 'prefix' ? { ...p, prefixChars } : p));
  if (prefixed > 0) note({ level: 'info', object: name, message: `${source} indexes the first ${prefixChars} characters of its TEXT/BLOB columns` });
  return { name: names.take(name), unique, parts, source };
}

function mapForeignKey(fk: ForeignKey, dumped: ReadonlySet<string>, names: NameScope, note: Note): TargetForeignKey[] {
  const ref = `${fk.refSchema}.${fk.refTable}`;
  if (!dumped.has(ref)) {
    note({ level: 'warning', object: fk.name, message: `foreign key ${fk.name} references ${ref}, which is not in this dump; not carried` });
    return [];
  }
  const action = (a: string, which: string): string => {
    if (a !== 'SET DEFAULT') return a;
    note({ level: 'warning', object: fk.name, message: `foreign key ${fk.name}: ON ${which} SET DEFAULT is not supported by InnoDB; NO ACTION is used` });
    return 'NO ACTION';
  };
  if (fk.deferrable) note({ level: 'info', object: fk.name, message: `foreign key ${fk.name} is DEFERRABLE in PostgreSQL; MySQL checks it immediately` });
  if (fk.matchFull) note({ level: 'info', object: fk.name, message: `foreign key ${fk.name} is MATCH FULL; MySQL uses MATCH SIMPLE` });
  return [{
    name: names.take(fk.name), columns: fk.columns, refTable: fk.refTable, refColumns: fk.refColumns,
    onDelete: action(fk.onDelete, 'DELETE'), onUpdate: action(fk.onUpdate, 'UPDATE'),
  }];
}
