import type { Catalog, ColumnType, Table } from '../model/catalog.js';
import type { Notice, TargetColumn } from '../model/target.js';
import { MAX_VARCHAR_CHARS, TEXT_INTO } from './base-types.js';
import type { TypeRule, ValueCheck } from './type-rule.js';

/**
 * `--conventions django|rails`: the column types a framework's MySQL backend creates, for a full-mode
 * migration whose application will run on MySQL. Django stores a UUIDField as CHAR(32) (hex digits, no
 * dashes) and a DurationField as BIGINT microseconds; it cannot read pgmy's default CHAR(36) and ISO 8601
 * text. Rails makes `string` columns VARCHAR(255). The recommended path stays the framework's own schema
 * (manage.py migrate / rails db:schema:load) and `load --data-only`; plan says so when it sees the framework.
 */
export type Conventions = 'django' | 'rails';
export const CONVENTIONS: readonly Conventions[] = ['django', 'rails'];

const MONTHS: ValueCheck = {
  id: 'interval-months', predicate: "(date_part('year', %s) <> 0 OR date_part('month', %s) <> 0)",
  problem: 'months or years, which have no fixed number of microseconds (a Django DurationField holds days, seconds and microseconds)',
};

export const DJANGO_UUID: TypeRule = {
  id: 'django-uuid', pg: ['uuid'], pgDisplay: 'uuid (--conventions django)', mysqlDisplay: 'CHAR(32) ascii',
  why: 'Django\'s UUIDField on MySQL: the 32 hex digits without dashes',
  choose: () => ({ sqlType: 'CHAR(32) CHARACTER SET ascii COLLATE ascii_bin', maxBytes: 32 }),
  select: "replace(%s::text, '-', '')", verify: { pg: "replace({pg}::text, '-', '')" }, into: TEXT_INTO,
};

export const DJANGO_DURATION: TypeRule = {
  id: 'django-duration', pg: ['interval'], pgDisplay: 'interval (--conventions django)', mysqlDisplay: 'BIGINT, microseconds',
  why: 'Django\'s DurationField on MySQL; intervals with months or years are refused',
  choose: () => ({ sqlType: 'BIGINT', maxBytes: 8 }), checks: [MONTHS],
  // extract(epoch …) is exact numeric on PostgreSQL 14+; days count 86,400 s, as in a timedelta.
  select: '(extract(epoch from %s) * 1000000)::bigint',
  verify: { pg: '(extract(epoch from {pg}) * 1000000)::bigint::text', order: 'integer' },
  into: { int: { kind: 'direct' } },
};

export const CONVENTION_RULES: readonly TypeRule[] = [DJANGO_UUID, DJANGO_DURATION];

/** The framework's rule for a type, when the convention changes it. */
export function conventionRule(t: ColumnType, conventions: Conventions | undefined): TypeRule | undefined {
  if (conventions !== 'django' || t.kind !== 'base' || t.schema !== 'pg_catalog') return undefined;
  return t.name === 'uuid' ? DJANGO_UUID : t.name === 'interval' ? DJANGO_DURATION : undefined;
}

/** Rails: an unbounded `character varying` is measured by the scan, to become VARCHAR(255) or longer. */
export function needsRailsLength(t: ColumnType, conventions: Conventions | undefined): boolean {
  return conventions === 'rails' && t.kind === 'base' && t.name === 'varchar' && t.typmod < 0;
}

/**
 * Rails' `string` on MySQL is VARCHAR(255): an unbounded varchar that pgmy would make LONGTEXT becomes
 * VARCHAR(max(255, longest value)) when the scan measured it (key columns are sized by key-fit already).
 */
export function railsStrings(t: Table, columns: readonly TargetColumn[], longest: (column: string) => number | null | undefined): TargetColumn[] {
  return columns.map((c) => {
    const src = t.columns.find((x) => x.name === c.name);
    if (!src || !needsRailsLength(src.type, 'rails') || c.rule.kind !== 'varchar' || c.rule.castFrom !== undefined || !c.sqlType.startsWith('LONGTEXT')) return c;
    const n = longest(c.name);
    if (n === undefined) return c;
    const chars = Math.max(255, n ?? 0);
    if (chars > MAX_VARCHAR_CHARS) return c;
    return { ...c, sqlType: c.sqlType.replace(/^LONGTEXT/, `VARCHAR(${chars})`), maxBytes: chars * 4 + 2, indexable: 'yes' };
  });
}

/** Which framework made the schema: Django's django_migrations, or Rails' schema_migrations with ar_internal_metadata. */
export function detectFramework(catalog: Catalog): Conventions | undefined {
  const names = new Set(catalog.tables.map((t) => t.name));
  if (names.has('django_migrations')) return 'django';
  if (names.has('schema_migrations') && names.has('ar_internal_metadata')) return 'rails';
  return undefined;
}

/** What plan says about the framework it sees, and about --conventions. */
export function frameworkNotices(catalog: Catalog, conventions: Conventions | undefined): Notice[] {
  const found = detectFramework(catalog);
  if (conventions !== undefined && found !== undefined && found !== conventions) {
    return [{ level: 'warning', message: `--conventions ${conventions}, but this looks like a ${found === 'django' ? 'Django' : 'Rails'} database` }];
  }
  if (found === undefined || conventions !== undefined) return [];
  const path = found === 'django'
    ? 'the recommended path: run `manage.py migrate` against MySQL, then `pgmy load --data-only`; or pass --conventions django for the column types Django\'s MySQL backend expects'
    : 'the recommended path: run `rails db:schema:load` against MySQL, then `pgmy load --data-only`; or pass --conventions rails for the column types Rails\' MySQL adapter makes';
  const djangoTypes = found === 'django' && catalog.tables.some((t) => t.columns.some((c) => conventionRule(c.type, 'django') !== undefined));
  return [{
    level: djangoTypes ? 'warning' : 'info',
    message: djangoTypes
      ? `this is a Django database (django_migrations): Django on MySQL reads uuid as CHAR(32) and DurationField as BIGINT microseconds, not the CHAR(36) and ISO 8601 text pgmy writes by default; ${path}`
      : `this is a ${found === 'django' ? 'Django database (django_migrations)' : 'Rails database (schema_migrations, ar_internal_metadata)'}; ${path}`,
  }];
}
