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

/**
 * json: the text as written. The length rules out nearly every value before the bracket count, and the count
 * nearly every value before the peeling; for json `::text` reads the stored text, no conversion.
 */
export const JSON_DEPTH: ValueCheck = {
  id: 'json-depth',
  pgTypes: ['json'],
  predicate: `(octet_length(%s::text) > ${2 * MAX_JSON_DEPTH} AND length(%s::text) - length(translate(%s::text, '[{', '')) > ${MAX_JSON_DEPTH} AND ${peel(brackets('%s::text'), MAX_JSON_DEPTH)} <> '')`,
  problem: `JSON nested more than ${MAX_JSON_DEPTH} levels deep, which MariaDB's JSON refuses`,
};

/**
 * jsonb: a container at level 31 or deeper (the value itself is level 0) is the 32nd level of nesting. A JSON
 * path walks the binary form; turning each value into text to count brackets took three times as long.
 */
const JSONB_PATH = `jsonb_path_exists(%s, 'strict $.**{${MAX_JSON_DEPTH} to last} ? (@.type() == "array" || @.type() == "object")')`;

/**
 * Each level of nesting in jsonb's binary form takes at least 8 bytes (the container's header and its child's
 * entry): a value nested 32 deep is at least 8 * 31 + 4 bytes, and its varlena header at least one more. A value
 * stored smaller (below 240 bytes, a margin under the 253), and not compressed, cannot be that deep: the size and
 * the compression are read off the stored value without decoding it, which halved the check's cost on small
 * documents. pg_column_compression() is PostgreSQL 14+; older servers walk every value.
 */
export const JSONB_SHALLOW_BELOW = 240;

export const JSONB_DEPTH: ValueCheck = {
  id: 'json-depth',
  pgTypes: ['jsonb'],
  sinceServer: 140000,
  predicate: `(pg_column_size(%s) >= ${JSONB_SHALLOW_BELOW} OR pg_column_compression(%s) IS NOT NULL) AND ${JSONB_PATH}`,
  problem: JSON_DEPTH.problem,
};

export const JSONB_DEPTH_BEFORE_14: ValueCheck = {
  id: 'json-depth',
  pgTypes: ['jsonb'],
  beforeServer: 140000,
  predicate: JSONB_PATH,
  problem: JSON_DEPTH.problem,
};

/**
 * json (not jsonb, which refuses them) keeps \u escapes as written; a lone UTF-16 surrogate is not valid JSON to
 * MySQL or MariaDB. An escape is a backslash after an even run of backslashes: `"\\ud83d"` is the text \ud83d.
 */
const ESCAPE = String.raw`(?:^|[^\\])(?:\\\\)*`;
const HIGH = String.raw`\\u[dD][89abAB][0-9a-fA-F]{2}`;
const LOW = String.raw`\\u[dD][c-fC-F][0-9a-fA-F]{2}`;
export const JSON_SURROGATE: ValueCheck = {
  id: 'json-surrogate',
  pgTypes: ['json'],
  predicate: `strpos(%s::text, '\\u') > 0 AND %s::text ~ '${ESCAPE}(?:${HIGH}(?!${LOW})|(?<!${ESCAPE}${HIGH})${LOW})'`,
  problem: String.raw`a \u escape of a lone UTF-16 surrogate (e.g. "\ud83d" without its pair), which MySQL and MariaDB refuse as JSON`,
};
