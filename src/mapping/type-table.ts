import { ARRAY_RULE, COMPOSITE_RULE, ENUM_RULE, HSTORE_RULE, RANGE_RULE, TEXT_FORM_RULE, TYPE_RULES } from './type-rules.js';

/** The README's type-mapping table, made from the rules themselves (a test keeps the README in step). */
export function typeMappingMarkdown(): string {
  const rows = [...TYPE_RULES, ENUM_RULE, ARRAY_RULE, COMPOSITE_RULE, RANGE_RULE, HSTORE_RULE, TEXT_FORM_RULE].map((r) => `| ${r.pgDisplay} | ${r.mysqlDisplay} | ${r.why} |`);
  return ['| PostgreSQL | MySQL / MariaDB | how and why |', '| --- | --- | --- |', ...rows].join('\n');
}
