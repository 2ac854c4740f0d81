import type { ColumnType } from '../model/catalog.js';
import { TYPE_RULES } from './base-types.js';
import { ENUM_RULE, SPECIAL_RULES, ARRAY_RULE, COMPOSITE_RULE, HSTORE_RULE, RANGE_RULE, TEXT_FORM_RULE } from './special-types.js';
import type { TypeRule } from './type-rule.js';
import { CONVENTION_RULES, conventionRule, type Conventions } from './conventions.js';

/**
 * The type map, as data: each rule says which MySQL type keeps a PostgreSQL type's meaning, how the value is
 * rendered in COPY's SELECT and assigned by LOAD DATA, which values the scan must look for, how verify
 * compares it, and which columns of a framework's schema it goes into (--data-only). A type is added in one
 * place: its rule (base-types.ts for pg_catalog's types, special-types.ts for the rest). The README's mapping
 * table is generated from the rules (test/unit/readme-types.test.ts keeps them in step).
 */
export { ARRAY_BOUNDS, MAX_VARCHAR_CHARS, numericPrecision, TYPE_RULES } from './base-types.js';
export { ARRAY_RULE, COMPOSITE_RULE, ENUM_RULE, HSTORE_RULE, RANGE_RULE, SPECIAL_RULES, TEXT_FORM_RULE } from './special-types.js';
export type { ColumnStats, CompareKind, KeyOrder, TypeChoice, TypeRule, ValueCheck, VerifyForm } from './type-rule.js';

const byName = new Map<string, TypeRule>();
for (const rule of TYPE_RULES) for (const name of rule.pg) byName.set(name, rule);
const byId = new Map<string, TypeRule>([...TYPE_RULES, ...SPECIAL_RULES, ...CONVENTION_RULES].map((r) => [r.id, r]));
byId.set('enum-as-varchar', ENUM_RULE);

/**
 * The rule for a column's type: a base type of pg_catalog by name; an enum, array, composite or range by
 * kind; hstore by name in any schema; any other base type (an extension's) by its text form. Pseudo-types
 * and the like have none: they cannot be carried. `conventions` (--conventions) puts a framework's rule first.
 */
export function ruleFor(t: ColumnType, conventions?: Conventions): TypeRule | undefined {
  const framework = conventionRule(t, conventions);
  if (framework) return framework;
  switch (t.kind) {
    case 'enum': return ENUM_RULE;
    case 'array': return ARRAY_RULE;
    case 'composite': return COMPOSITE_RULE;
    case 'range': case 'multirange': return RANGE_RULE;
    case 'base': return (t.schema === 'pg_catalog' ? byName.get(t.name) : undefined) ?? (t.name === 'hstore' ? HSTORE_RULE : TEXT_FORM_RULE);
    default: return undefined;
  }
}

/** The rule a column's recorded rule kind names (verify, data-only); undefined for `unsupported`. */
export function ruleById(kind: string): TypeRule | undefined {
  return byId.get(kind);
}
