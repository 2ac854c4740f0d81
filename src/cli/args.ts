import { PgmyError } from '../errors.js';

/** --schema-map src=dst (repeatable or comma-separated); `src=` puts a schema into the target URL's database. */
export function schemaMap(values: readonly (string | number)[] | undefined): Map<string, string> | undefined {
  const items = list(values);
  if (items.length === 0) return undefined;
  return new Map(items.map((item) => {
    const m = /^([^=]+)=(.*)$/.exec(item);
    if (!m?.[1]) throw new PgmyError('usage', `--schema-map ${item}: expected source_schema=mysql_database.`);
    return [m[1], m[2] ?? ''];
  }));
}

/** Options that take lists accept both repetition and commas: --tables a,b --tables c. */
export function list(values: readonly (string | number)[] | undefined): string[] {
  return (values ?? []).flatMap((v) => String(v).split(',')).map((s) => s.trim()).filter((s) => s.length > 0);
}
