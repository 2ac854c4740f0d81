import { quoteMy } from '../target/mysql/quote.js';
import { quotePg } from '../source/postgres/quote.js';
import type { TargetColumn, TargetTable } from '../model/target.js';
import { sha256Hex } from '../model/dump-format/sha256.js';
import { ruleById, type CompareKind, type KeyOrder, type VerifyForm } from './type-rules.js';

/**
 * How verify compares a column's values: each side renders the value as text in SQL, in the same form where
 * the servers allow it (the column's type rule says how: VerifyForm); `compare` says how two texts are
 * judged equal when the forms cannot be made the same.
 */
export interface ColumnCanon {
  readonly name: string;
  readonly pg: string;
  readonly my: string;
  readonly compare: CompareKind;
  /** How key values sort on both servers, for the ordered merge. */
  readonly order: KeyOrder;
  /** The MySQL column, when its name differs from the source's (--data-only). */
  readonly myColumn?: string;
  /** How the MySQL side's bytes become text: `hex` for binary columns read as they are. */
  readonly myForm?: 'hex';
}

const STRING_TYPE = /^(VARCHAR|CHAR|TINYTEXT|TEXT|MEDIUMTEXT|LONGTEXT|ENUM|JSON)\b/i;
/** Plain text on both sides, for a rule with no form of its own and for values carried as text. */
const TEXT_FORM: VerifyForm = {};

export function canonFor(c: TargetColumn): ColumnCanon {
  const canon = baseCanon(c);
  // Values the policy wrote as NULL are expected to be NULL in the target.
  return c.nullWhen ? { ...canon, pg: `CASE WHEN ${c.nullWhen} THEN NULL ELSE ${canon.pg} END` } : canon;
}

function baseCanon(c: TargetColumn): ColumnCanon {
  const form = c.rule.transform === 'text' ? TEXT_FORM : ruleById(c.rule.kind)?.verify ?? TEXT_FORM;
  const col = quoteMy(c.name);
  // A string column is read as it is: a function of it (CAST, HEX) returns NULL past max_allowed_packet
  // (16 MiB by default), which made every large value a difference.
  const asText = STRING_TYPE.test(c.sqlType) ? col : `CAST(${col} AS CHAR)`;
  const parts: Record<string, string> = { pg: quotePg(c.name), expr: c.selectExpr, my: asText, col };
  // One pass: a column named like a placeholder must not be filled in again.
  const fillIn = (template: string) => template.replace(/\{(pg|expr|my|col)\}/g, (_m, k: string) => parts[k] ?? '');
  return {
    name: c.name, pg: fillIn(form.pg ?? '{pg}::text'), my: fillIn(form.my ?? '{my}'),
    compare: form.compare ?? 'text', order: form.order ?? 'bytes', ...(form.myForm ? { myForm: form.myForm } : {}),
  };
}

/**
 * A digest of everything verify's comparison of a table depends on: where the table is on each side, its
 * key, and each column's compared form. The load records it per table in the target's journal; verify
 * without a dump folder maps the source catalog again and must arrive at the same digest, or it would
 * compare another mapping than the one loaded (--on-unrepresentable, --cast, --rename, --schema-map, or a
 * table changed since) and report differences that are not there.
 */
export function compareForm(t: TargetTable): string {
  const shape = {
    source: [t.sourceSchema, t.sourceName], target: [t.database ?? null, t.name], key: t.primaryKey ?? null,
    columns: t.columns.map(canonFor),
  };
  return sha256Hex(JSON.stringify(shape));
}
