import { SPECIAL_RULES, TYPE_RULES } from './type-rules.js';

/** The README's type-mapping table, made from the rules themselves (a test keeps the README in step). */
export function typeMappingMarkdown(): string {
  const rows = [...TYPE_RULES, ...SPECIAL_RULES].map((r) => `| ${r.pgDisplay} | ${r.mysqlDisplay} | ${r.why} |`);
  return ['| PostgreSQL | MySQL / MariaDB | how and why |', '| --- | --- | --- |', ...rows].join('\n');
}
