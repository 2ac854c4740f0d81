import type { ValueCheck } from './type-rule.js';

/**
 * JSON that PostgreSQL stores and MariaDB refuses (its JSON is LONGTEXT under a json_valid() CHECK): found by
 * the scan, so that plan names the column and row instead of a chunk failing its load.
 */

/** MariaDB's json_valid() refuses arrays and objects nested 32 deep or more (MySQL 8 allows 100). */
export const MAX_JSON_DEPTH = 31;

/** The text with every JSON string removed and only brackets left: `{"a":[1,{"b":"]"}]}` → `{[{}]}`. */
const brackets = (json: string): string =>
  String.raw`regexp_replace(regexp_replace(${json}, '"(\\.|[^"\\])*"', '', 'g'), '[^][{}]', '', 'g')`;

/** Removes the innermost `[]` and `{}` pairs `times` times: what is left is non-empty when deeper than that. */
function peel(expr: string, times: number): string {
  let out = expr;
  for (let i = 0; i < times; i++) out = `regexp_replace(${out}, '\\[\\]|\\{\\}', '', 'g')`;
  return out;
}

export const JSON_DEPTH: ValueCheck = {
  id: 'json-depth',
  // The count of opening brackets is cheap and rules out nearly every value before the peeling runs.
  predicate: `(length(%s::text) - length(translate(%s::text, '[{', '')) > ${MAX_JSON_DEPTH} AND ${peel(brackets('%s::text'), MAX_JSON_DEPTH)} <> '')`,
  problem: `JSON nested more than ${MAX_JSON_DEPTH} levels deep, which MariaDB's JSON refuses`,
};

/** json (not jsonb, which refuses them) keeps \u escapes as written; a lone UTF-16 surrogate is not valid JSON to MySQL or MariaDB. */
export const JSON_SURROGATE: ValueCheck = {
  id: 'json-surrogate',
  predicate: String.raw`%s::text ~ '\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}'`,
  problem: String.raw`a \u escape of a lone UTF-16 surrogate (e.g. "\ud83d" without its pair), which MySQL and MariaDB refuse as JSON`,
};
