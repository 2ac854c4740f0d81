import { quotePg } from '../source/postgres/quote.js';
import { literalMy } from '../target/mysql/quote.js';
import { ARRAY_BOUNDS, JSON_FORM, JSON_INTO, TEXT_INTO } from './base-types.js';
import type { TypeChoice, TypeRule } from './type-rule.js';

/** The rules for types that are not one of pg_catalog's base types: enums, arrays, composites, ranges, extensions'. */

const JSON_CHOICE: TypeChoice = { sqlType: 'JSON', maxBytes: 12, indexable: 'no' };
const LONGTEXT_CHOICE: TypeChoice = { sqlType: 'LONGTEXT', maxBytes: 12, textual: true, indexable: 'prefix' };

export const ENUM_RULE: TypeRule = {
  id: 'enum', pg: [], pgDisplay: 'enum types', mysqlDisplay: 'ENUM(…)',
  why: 'the same labels in the same order (VARCHAR when a label has trailing spaces or is empty)',
  choose: (t) => {
    const labels = t.enumLabels ?? [];
    const awkward = labels.find((l) => l === '' || /\s$/.test(l) || [...l].length > 255);
    if (awkward === undefined && labels.length > 0) return { sqlType: `ENUM(${labels.map(literalMy).join(',')})`, maxBytes: 2, textual: true };
    const longest = Math.max(1, ...labels.map((l) => [...l].length));
    return {
      sqlType: `VARCHAR(${longest})`, maxBytes: longest * 4 + 2, textual: true, kind: 'enum-as-varchar',
      note: `enum ${t.display} has a label MySQL's ENUM cannot hold as is (empty, ending in a space, or past 255 characters)`,
    };
  },
  into: TEXT_INTO,
};

export const ARRAY_RULE: TypeRule = {
  id: 'array', pg: [], pgDisplay: 'arrays of any type', mysqlDisplay: 'JSON',
  why: 'a JSON array (nested for several dimensions, null for NULL elements); arrays not starting at index 1 are refused',
  choose: () => JSON_CHOICE, select: 'to_json(%s)', checks: [ARRAY_BOUNDS],
  verify: { ...JSON_FORM, pg: 'to_json({pg})::text' }, into: JSON_INTO,
};

export const COMPOSITE_RULE: TypeRule = {
  id: 'composite', pg: [], pgDisplay: 'composite types', mysqlDisplay: 'JSON', why: 'a JSON object keyed by field name',
  choose: () => JSON_CHOICE, select: 'to_json(%s)', verify: { ...JSON_FORM, pg: 'to_json({pg})::text' }, into: JSON_INTO,
};

export const RANGE_RULE: TypeRule = {
  id: 'range', pg: [], pgDisplay: 'range and multirange types', mysqlDisplay: 'LONGTEXT', why: 'the text form, e.g. [1,5)',
  choose: () => LONGTEXT_CHOICE, select: '%s::text', into: TEXT_INTO,
};

export const HSTORE_RULE: TypeRule = {
  id: 'hstore', pg: [], pgDisplay: 'hstore', mysqlDisplay: 'JSON', why: 'a JSON object of strings (hstore_to_json)',
  choose: () => JSON_CHOICE, select: (t) => `${quotePg(t.schema)}.hstore_to_json(%s)`, verify: { ...JSON_FORM, pg: '{expr}::text' }, into: JSON_INTO,
};

export const TEXT_FORM_RULE: TypeRule = {
  id: 'text-form', pg: [], pgDisplay: 'other types (extensions: ltree, citext, PostGIS, …)', mysqlDisplay: 'LONGTEXT',
  why: 'the type\'s own text form, which PostgreSQL reads back unchanged; listed as a warning',
  choose: () => LONGTEXT_CHOICE, select: '%s::text', into: TEXT_INTO,
  warning: (t) => `type ${t.display} has no MySQL counterpart pgmy knows; carried as its text form in LONGTEXT`,
};

/** In the README's order, after the base types. */
export const SPECIAL_RULES: readonly TypeRule[] = [ENUM_RULE, ARRAY_RULE, COMPOSITE_RULE, RANGE_RULE, HSTORE_RULE, TEXT_FORM_RULE];
