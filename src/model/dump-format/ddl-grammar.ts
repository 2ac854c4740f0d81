/**
 * A dump folder may come from another machine: the manifest's MySQL text that pgmy renders into DDL (column
 * types, defaults, CHECK expressions, foreign-key actions) must be of the shapes pgmy itself writes, so that
 * an edited manifest cannot slip a statement into CREATE TABLE. Identifiers and comments need no grammar:
 * they are always quoted by target/mysql/quote.ts.
 */

/** A MySQL string literal as literalMy writes it. */
const LITERAL = String.raw`'(?:[^'\\]|''|\\[\\0])*'`;
const NAME = '[A-Za-z0-9_]+';
const CHARSET = String.raw`(?: CHARACTER SET ${NAME})?(?: COLLATE ${NAME})?`;
const INTEGER = String.raw`(?:TINYINT|SMALLINT|MEDIUMINT|INT|INTEGER|BIGINT)(?:\(\d{1,3}\))?(?: UNSIGNED)?`;
const NUMBER = String.raw`(?:DECIMAL|NUMERIC)(?:\(\d{1,2}(?:,\d{1,2})?\))?(?: UNSIGNED)?|(?:FLOAT|DOUBLE)(?:\(\d{1,2}(?:,\d{1,2})?\))?(?: UNSIGNED)?|BIT(?:\(\d{1,2}\))?|BOOLEAN`;
const TIME = String.raw`(?:DATETIME|TIMESTAMP|TIME)(?:\(\d\))?|DATE|YEAR`;
const TEXT = String.raw`(?:(?:VAR)?CHAR\(\d{1,5}\)|(?:TINY|MEDIUM|LONG)?TEXT|ENUM\(${LITERAL}(?:,${LITERAL})*\))${CHARSET}`;
const BINARY = String.raw`(?:VAR)?BINARY\(\d{1,5}\)|(?:TINY|MEDIUM|LONG)?BLOB|JSON`;
const SQL_TYPE = new RegExp(`^(?:${INTEGER}|${NUMBER}|${TIME}|${TEXT}|${BINARY})$`, 'i');

export function isSqlType(text: string): boolean {
  return SQL_TYPE.test(text);
}

/** The defaults translateDefault writes: NULL, a number or literal (maybe parenthesised), and four functions. */
const DEFAULT = new RegExp(String.raw`^(?:NULL|\(?-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?\)?|\(?${LITERAL}\)?|CURRENT_TIMESTAMP\(\d\)|\(UTC_TIMESTAMP\(\d\)\)|\(CURRENT_DATE\)|\(UUID\(\)\)|\(REPLACE\(UUID\(\), '-', ''\)\))$`);

export function isDefaultSql(text: string): boolean {
  return DEFAULT.test(text);
}

/** The tokens translateCheck writes: quoted columns, numbers, literals, comparisons, parentheses, logic. */
const CHECK_TOKEN = new RegExp(String.raw`\s+|\x60(?:[^\x60]|\x60\x60)+\x60|${LITERAL}|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|<=|>=|<>|=|<|>|\(|\)|,|\b(?:AND|OR|NOT|IS|NULL|TRUE|FALSE|IN)\b`, 'gy');

export function isCheckExpr(text: string): boolean {
  CHECK_TOKEN.lastIndex = 0;
  let at = 0;
  let depth = 0;
  for (let m = CHECK_TOKEN.exec(text); m !== null && m[0].length > 0; m = CHECK_TOKEN.exec(text)) {
    if (m[0] === '(') depth++;
    if (m[0] === ')' && --depth < 0) return false;
    at = CHECK_TOKEN.lastIndex;
  }
  return at === text.length && depth === 0 && text.trim().length > 0;
}

/** What InnoDB takes after ON DELETE / ON UPDATE. */
export const FK_ACTIONS = ['NO ACTION', 'RESTRICT', 'CASCADE', 'SET NULL'] as const;

const HIDDEN_VALUE = String.raw`(?:LOWER|UPPER)\(\x60(?:[^\x60]|\x60\x60)+\x60\)|\x60(?:[^\x60]|\x60\x60)+\x60`;
const HIDDEN = new RegExp(String.raw`^(?:IF\(([\s\S]+), (?:${HIDDEN_VALUE}), NULL\)|LOWER\(\x60(?:[^\x60]|\x60\x60)+\x60\)|UPPER\(\x60(?:[^\x60]|\x60\x60)+\x60\))$`);

/** A generated index column as partial-unique.ts writes it: IF(<check>, `column` or LOWER(`column`), NULL), or LOWER/UPPER(`column`). */
export function isHiddenExpr(text: string): boolean {
  const m = HIDDEN.exec(text);
  return m !== null && (m[1] === undefined || isCheckExpr(m[1]));
}
