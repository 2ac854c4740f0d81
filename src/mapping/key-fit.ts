import type { Column, Table } from '../model/catalog.js';
import type { TargetColumn } from '../model/target.js';
import type { Note } from './map-column.js';
import type { TextKeyPolicy } from './scan-model.js';
import { parseKeyExpression } from './index-expr.js';

/**
 * Keys on unbounded text and bytea (Rails' schema_migrations.version, most unique string columns): MySQL
 * indexes a LONGTEXT only through a prefix, which would weaken a unique key. pgmy scans the longest value and
 * gives such a key column a VARCHAR(n) / VARBINARY(n) instead: 255 (what Rails and Django use on MySQL), more
 * when the data needs it, within InnoDB's 3,072-byte key shared across the key's columns.
 */

/** InnoDB's largest index key (DYNAMIC/COMPRESSED rows), in bytes. */
export const MAX_KEY_BYTES = 3072;

/** MySQL's most columns in one index (MariaDB allows 32). */
export const MAX_KEY_PARTS = 16;

/** The length Rails and Django give string columns on MySQL: the floor of what pgmy chooses. */
export const CONVENTIONAL_LENGTH = 255;

export type { TextKeyPolicy };

/** Column sets that must be indexable whole: primary key, unique constraints and indexes (partial ones, lower(col) ones too), foreign keys. */
export function wholeKeys(t: Table): string[][] {
  return [
    ...(t.primaryKey ? [[...t.primaryKey.columns]] : []),
    ...t.uniques.map((u) => [...u.columns]),
    ...t.indexes.filter((i) => i.unique).map((i) => i.keys.map((k) => k.column ?? parseKeyExpression(k.expression ?? '')?.column))
      .filter((cols): cols is string[] => cols.every((c) => c !== undefined)),
    ...t.foreignKeys.map((fk) => [...fk.columns]),
  ];
}

/** Source columns whose longest value the scan must measure: unbounded text or bytea in a whole key (`keyed`: wholeKeys' columns). */
export function needsLength(c: Column, keyed: ReadonlySet<string>): boolean {
  if (!keyed.has(c.name)) return false;
  const ty = c.type;
  if (ty.kind !== 'base') return false;
  if (ty.name === 'text' || ty.name === 'bytea') return true;
  return (ty.name === 'varchar' || ty.name === 'bpchar') && (ty.typmod < 0 || ty.typmod - 4 > 16383);
}

const FITTABLE_TEXT = new Set(['varchar', 'text', 'char']);

function fittable(c: TargetColumn): 'text' | 'binary' | undefined {
  if (c.rule.transform !== 'native' || c.rule.castFrom !== undefined) return undefined;
  const base = c.sqlType.split(' ')[0];
  if (base === 'LONGTEXT' && FITTABLE_TEXT.has(c.rule.kind)) return 'text';
  if (base === 'LONGBLOB' && c.rule.kind === 'bytea') return 'binary';
  return undefined;
}

/** Bytes per character the key budget counts for a fitted column. */
const unit = (kind: 'text' | 'binary'): number => (kind === 'text' ? 4 : 1);

export interface FitContext {
  readonly policy: TextKeyPolicy;
  /** The longest value of a column, in characters (bytes for bytea); undefined when not measured. */
  readonly longest: (column: string) => number | null | undefined;
  /** `schema.table`, for the --cast it prints. */
  readonly table: string;
}

/** Gives each unbounded text/bytea column of a whole key a VARCHAR(n)/VARBINARY(n), or says why it cannot. */
export function fitKeyColumns(t: Table, columns: readonly TargetColumn[], note: Note, ctx: FitContext): TargetColumn[] {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const cap = new Map<string, number>();
  for (const key of wholeKeys(t)) {
    const cols = [...new Set(key)].map((n) => byName.get(n)).filter((c): c is TargetColumn => c !== undefined);
    const fit = cols.filter((c) => fittable(c) !== undefined);
    if (fit.length === 0) continue;
    const fixed = cols.filter((c) => fittable(c) === undefined).reduce((sum, c) => sum + c.maxBytes, 0);
    const budget = MAX_KEY_BYTES - fixed;
    // Each column first gets its longest value; what is left is shared evenly.
    const need = fit.map((c) => lengthBytes(Math.max(1, ctx.longest(c.name) ?? 0), fittable(c) ?? 'text'));
    const slack = budget - need.reduce((a, b) => a + b, 0);
    fit.forEach((c, i) => {
      const kind = fittable(c) ?? 'text';
      // Where the longest values do not fit together, an even share is the most each could have.
      const bytes = slack < 0 ? Math.floor(budget / fit.length) : (need[i] ?? 0) + Math.floor(slack / fit.length);
      cap.set(c.name, Math.min(cap.get(c.name) ?? Infinity, Math.floor((bytes - 2) / unit(kind))));
    });
  }
  if (cap.size === 0) return [...columns];
  return columns.map((c) => {
    const limit = cap.get(c.name);
    const kind = fittable(c);
    if (limit === undefined || kind === undefined) return c;
    const longest = ctx.longest(c.name);
    const type = kind === 'text' ? 'VARCHAR' : 'VARBINARY';
    const n = Math.min(Math.max(CONVENTIONAL_LENGTH, longest ?? 0), limit);
    const measured = longest === undefined ? 'not measured (--skip-scan)' : `longest value ${longest ?? 0} ${kind === 'text' ? 'characters' : 'bytes'}`;
    const cast = `--cast ${ctx.table}.${c.name}=${type}(${n})`;
    if (limit < 1 || (longest ?? 0) > limit) {
      note({ level: 'error', column: c.name,
        message: `key column ${c.name} is unbounded ${c.sourceType} (${measured}); a MySQL key on it holds at most ${Math.max(0, limit)} ${kind === 'text' ? 'characters' : 'bytes'} here, so no ${type} key can keep every value: exclude the table or shorten the values in PostgreSQL` });
      return c;
    }
    if (ctx.policy === 'refuse') {
      note({ level: 'error', column: c.name,
        message: `key column ${c.name} is unbounded ${c.sourceType}, which MySQL can key only through a prefix (${measured}); to carry it as ${type}(${n}): ${cast}` });
      return c;
    }
    note({ level: 'warning', column: c.name,
      message: `key column ${c.name}: unbounded ${c.sourceType} becomes ${type}(${n}) (${measured}): MySQL will refuse longer values (--text-keys=refuse to decide yourself)` });
    // A collation the rule chose (char's pad-space one) stays.
    const sqlType = `${type}(${n})${c.sqlType.slice(c.sqlType.split(' ')[0]?.length ?? 0)}`;
    return { ...c, sqlType, maxBytes: lengthBytes(n, kind), indexable: 'yes' as const };
  });
}

function lengthBytes(n: number, kind: 'text' | 'binary'): number {
  return n * unit(kind) + 2;
}
