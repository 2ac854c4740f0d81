import type { Conventions } from './conventions.js';
import { typeName, type Column } from '../model/catalog.js';
import type { ColumnRule, Notice, TargetColumn } from '../model/target.js';
import { quotePg } from '../source/postgres/quote.js';
import { translateCheck } from './check-translate.js';
import { translateDefault, type DumpedDefault } from './defaults.js';
import { castColumn, parseCastType } from './overrides.js';
import { fill, type ColumnScan, type MapOptions } from './scan-model.js';
import { ruleFor, type ColumnStats, type TypeChoice } from './type-rules.js';

/** What mapping one table's columns needs to know beyond the column itself. */
export interface MapContext {
  readonly moneyScale: number;
  /** The source database's lc_ctype. */
  readonly ctype?: string;
  readonly conventions?: Conventions;
  /** A literal default as pgmy dumps that value (plan's default probe); undefined when not probed. */
  readonly dumpedDefault?: (column: string) => DumpedDefault | undefined;
  readonly scan: ReadonlyMap<string, ColumnScan> | undefined;
  readonly policy: NonNullable<MapOptions['onUnrepresentable']>;
  /** The table's MySQL name, any table's (for foreign keys), and the user's cast of a column. */
  readonly name: string;
  readonly nameOf: (schema: string, table: string) => string;
  readonly castOf: (column: string) => string | undefined;
  /** char(n) columns get a PAD SPACE binary collation (not when the user chose a collation for all text). */
  readonly padSpace: boolean;
  /** Map each column as its rule maps any value (MapOptions.anyValues). */
  readonly anyValues?: boolean;
}

/** Figures that say nothing of the values: a type chosen from them is the rule's widest (DECIMAL(65,30)). */
const ANY_VALUES: ColumnStats = { rows: 0, maxIntDigits: null, maxScale: null, maxLength: null };

/** Binary and PAD SPACE on MySQL 8 and MariaDB alike: 'ab' = 'ab  ', as for PostgreSQL's char(n). */
export const PAD_SPACE_COLLATION = 'utf8mb4_bin';

/** Records a notice about the table being mapped. */
export type Note = (n: Omit<Notice, 'table'>) => void;

/** A column as the type rules map it, then as the scan and the user's --cast change it. */
export function mapTableColumn(c: Column, note: Note, ctx: MapContext): TargetColumn {
  return userCast(applyScan(mapColumn(c, note, ctx), c, note, ctx), note, ctx);
}

function mapColumn(c: Column, note: Note, ctx: MapContext): TargetColumn {
  const t = c.type;
  const quoted = quotePg(c.name);
  const base = { name: c.name, nullable: !c.notNull && t.domain?.notNull !== true, autoIncrement: false, sourceType: t.domain ? `${t.domain.schema}.${t.domain.name}` : t.display };
  if (t.domain) {
    const lost = untranslatable(t.domain.checks, c.name, typeName(t));
    note({ level: lost.length > 0 ? 'warning' : 'info', column: c.name,
      message: `domain ${t.domain.schema}.${t.domain.name} is carried as its base type ${t.display}${t.domain.notNull ? ' NOT NULL' : ''}${lost.length > 0 ? `; its checks ${lost.join(', ')} are not carried` : t.domain.checks.length > 0 ? ', its checks as CHECK constraints' : ''}` });
  }
  const fromChoice = (kind: string, choice: TypeChoice, select: string, load: TargetColumn['load'] = 'direct', transform: ColumnRule['transform'] = 'native') => ({
    sqlType: choice.padSpace && ctx.padSpace ? `${choice.sqlType} COLLATE ${PAD_SPACE_COLLATION}` : choice.sqlType, textual: choice.textual ?? false, rule: { kind, transform, flags: [] }, selectExpr: select, load,
    maxBytes: choice.maxBytes, indexable: choice.indexable ?? 'yes',
  });
  const longText: TypeChoice = { sqlType: 'LONGTEXT', maxBytes: 12, textual: true, indexable: 'prefix' };
  let mapped: Omit<TargetColumn, keyof typeof base | 'defaultSql' | 'comment'>;
  const rule = ruleFor(t, ctx.conventions);
  if (rule?.warning) note({ level: 'warning', column: c.name, message: rule.warning(t) });
  const typeForRule = t.name === 'money' ? { ...t, typmod: ctx.moneyScale } : t;
  const choice = rule ? rule.choose(typeForRule, ctx.scan?.get(c.name)?.stats ?? (ctx.anyValues ? ANY_VALUES : undefined)) : `type ${t.display} (${t.kind}) cannot be carried`;
  if (rule && typeof choice === 'string' && ctx.policy === 'text') {
    note({ level: 'warning', column: c.name, message: `column ${c.name}: ${choice}; carried as its text form in LONGTEXT (--on-unrepresentable=text)` });
    mapped = fromChoice(rule.id, longText, `${quoted}::text`, 'direct', 'text');
  } else if (!rule || typeof choice === 'string') {
    note({ level: 'error', column: c.name, message: `column ${c.name}: ${typeof choice === 'string' ? choice : ''}; exclude the table (--exclude-tables), or choose --on-unrepresentable=text` });
    mapped = { sqlType: 'LONGTEXT', textual: true, rule: { kind: 'unsupported', transform: 'native', flags: [] }, selectExpr: `${quoted}::text`, load: 'direct', maxBytes: 12, indexable: 'prefix' };
  } else {
    if (choice.note) note({ level: 'info', column: c.name, message: `${choice.sqlType}: ${choice.note}` });
    const select = typeof rule.select === 'function' ? rule.select(t) : rule.select;
    mapped = fromChoice(choice.kind ?? rule.id, choice, select ? fill(select, quoted) : quoted, rule.load ?? 'direct');
  }
  if (c.generatedExpr !== undefined) {
    note({ level: 'warning', column: c.name, message: `generated column (${c.generatedExpr}): its values are copied, the expression is not carried` });
  }
  let defaultSql: string | undefined;
  if (c.defaultExpr !== undefined) {
    const fsp = /\((\d)\)/.exec(mapped.sqlType)?.[1];
    const dumped = mapped.load === 'direct' ? ctx.dumpedDefault?.(c.name) : undefined;
    const d = translateDefault(c.defaultExpr, {
      pgType: typeName(t), needsExpression: /TEXT|BLOB|JSON/.test(mapped.sqlType), uuidHex: mapped.rule.kind === 'django-uuid',
      ...(t.kind === 'array' && mapped.rule.kind === 'array' ? { arrayOf: t.name.replace(/^_/, '') } : {}),
      ...(fsp !== undefined ? { fractionalDigits: Number(fsp) } : {}),
      ...(dumped !== undefined ? { dumped } : {}),
    });
    if (d.kind === 'sql') defaultSql = d.sql;
    else if (d.kind === 'none') note({ level: 'warning', column: c.name, message: d.reason });
    else if (!c.sequence) note({ level: 'warning', column: c.name, message: `default ${c.defaultExpr} uses a sequence the column does not own; not carried` });
  }
  // `base` is this call's own object, filled in place: spreading it and `mapped` into a new object took half
  // of a cold mapping of the catalog (800 tables of 4 columns: 115-138 ms -> 50-65 ms), as pgmy maps it once per run.
  const column: { -readonly [K in keyof TargetColumn]: TargetColumn[K] } = Object.assign(base, mapped);
  if (defaultSql !== undefined) column.defaultSql = defaultSql;
  if (c.comment !== undefined) column.comment = c.comment;
  return column;
}

export function untranslatable(checks: readonly string[], column: string, pgType: string): string[] {
  return checks.filter((d) => translateCheck(d, [column], column, new Map([[column, pgType]])) === undefined);
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
  // A default of the native type may not be valid text: it is not carried.
  const { defaultSql: _notCarried, ...rest } = col;
  return { ...rest, sqlType: 'LONGTEXT', textual: true, selectExpr: `${quoted}::text`, load: 'direct', maxBytes: 12, indexable: 'prefix', rule: { ...col.rule, transform: 'text' } };
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
