import { PgmyError } from '../errors.js';
import { pairs } from './config.js';

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

/** The mapping options plan, dump and migrate share, from their arguments (after pgmy.json was applied). */
export function mappingOptions(args: {
  'schema-map'?: readonly (string | number)[]; 'text-collation'?: string; 'on-unrepresentable'?: 'error' | 'null' | 'text';
  cast?: readonly (string | number)[]; rename?: readonly (string | number)[];
}) {
  const map = schemaMap(args['schema-map']);
  const casts = pairs('cast', args.cast, '[schema.]table.column=TYPE');
  const renames = pairs('rename', args.rename, '[schema.]table=name');
  return {
    ...(map ? { schemaMap: map } : {}), ...(casts ? { casts } : {}), ...(renames ? { renames } : {}),
    ...(args['text-collation'] !== undefined ? { textCollation: args['text-collation'] } : {}),
    ...(args['on-unrepresentable'] !== undefined ? { onUnrepresentable: args['on-unrepresentable'] } : {}),
  };
}
