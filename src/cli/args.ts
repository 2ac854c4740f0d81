import type { Argv } from 'yargs';
import { PgmyError } from '../index.js';

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
  'schema-map'?: readonly (string | number)[] | undefined; 'text-collation'?: string | undefined; 'on-unrepresentable'?: 'error' | 'null' | 'text' | undefined;
  'text-keys'?: 'varchar' | 'refuse' | undefined; conventions?: 'django' | 'rails' | undefined;
  cast?: readonly (string | number)[] | undefined; rename?: readonly (string | number)[] | undefined;
}) {
  const map = schemaMap(args['schema-map']);
  const casts = pairs('cast', args.cast, '[schema.]table.column=TYPE');
  const renames = pairs('rename', args.rename, '[schema.]table=name');
  return {
    ...(map ? { schemaMap: map } : {}), ...(casts ? { casts } : {}), ...(renames ? { renames } : {}),
    ...(args['text-collation'] !== undefined ? { textCollation: args['text-collation'] } : {}),
    ...(args['on-unrepresentable'] !== undefined ? { onUnrepresentable: args['on-unrepresentable'] } : {}),
    ...(args['text-keys'] !== undefined ? { textKeys: args['text-keys'] } : {}),
    ...(args.conventions !== undefined ? { conventions: args.conventions } : {}),
  };
}

/** The options that say what to read and how to map it, shared by plan, dump and migrate (read by mappingOptions). */
export function planningOptions<T>(y: Argv<T>) {
  return y
    .option('schema', { type: 'string', array: true, describe: 'Schema to read (repeatable; default: public)' })
    .option('schema-map', { type: 'string', array: true, describe: 'src=db: put schema src into MySQL database db (src= : the target URL\'s database)' })
    .option('text-collation', { type: 'string', describe: 'utf8mb4 collation for text instead of the binary no-pad one that keeps PostgreSQL\'s meaning (plan --target lists keys that would collide)' })
    .option('tables', { type: 'string', array: true, describe: 'Only these tables (name or schema.name; comma-separated or repeated)' })
    .option('exclude-tables', { type: 'string', array: true, describe: 'Leave these tables out' })
    .option('cast', { type: 'string', array: true, describe: '[schema.]table.column=TYPE: create the column with this MySQL type (repeatable)' })
    .option('rename', { type: 'string', array: true, describe: '[schema.]table=name: create the table under this MySQL name (repeatable)' })
    .option('config', { type: 'string', describe: 'pgmy.json with table filters, renames and casts (command-line options win)' })
    .option('on-unrepresentable', { choices: ['error', 'null', 'text'] as const, describe: 'Values MySQL cannot hold (NaN, -0, BC dates, …): refuse (default), store NULL, or carry the column as text' })
    .option('text-keys', { choices: ['varchar', 'refuse'] as const, describe: 'A key on unbounded text/bytea: VARCHAR(n)/VARBINARY(n) sized from the data (default), or refuse and print the --cast' })
    .option('conventions', { choices: ['django', 'rails'] as const, describe: 'Column types a framework\'s MySQL backend expects (django: uuid CHAR(32), interval BIGINT microseconds; rails: string VARCHAR(255))' })
    .option('skip-scan', { type: 'boolean', default: false, describe: 'Do not scan the data first (faster; bad values then fail at load, naming the row)' });
}

/** Passwords --password-prompt asked for: handed to the library as values, never put in the environment. */
export interface Prompted {
  readonly sourcePassword?: string;
  readonly targetPassword?: string;
  /** Aborted on Ctrl-C or SIGTERM: the library stops and stops its statements on the servers. */
  readonly signal?: AbortSignal;
}

/** What main() read at the prompt for this run, and its interrupt signal, carried beside the parsed arguments. */
export function prompted(args: object): Prompted {
  return (args as { prompted?: Prompted }).prompted ?? {};
}

/** yargs coerce for a count that must be a whole number of at least `least` (--jobs 0, -3 or abc are refused). */
export function wholeNumber(option: string, least: number): (v: unknown) => number | undefined {
  return (v: unknown) => {
    if (v === undefined) return undefined;
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isInteger(n) || n < least) {
      throw new PgmyError('usage', `--${option} ${typeof v === 'string' || typeof v === 'number' ? v : JSON.stringify(v)}: expected a whole number of ${least} or more.`);
    }
    return n;
  };
}

/** `--cast a.b=TYPE` / `--rename a=b` values (repeatable) as a map; a later entry for the same key wins. */
export function pairs(option: string, values: readonly unknown[] | undefined, shape: string): Map<string, string> | undefined {
  if (!values || values.length === 0) return undefined;
  const map = new Map<string, string>();
  for (const v of values) {
    const m = /^([^=]+)=(.+)$/.exec(String(v));
    if (!m?.[1] || !m[2]) throw new PgmyError('usage', `--${option} ${String(v)}: expected ${shape}.`);
    map.set(m[1].trim(), m[2].trim());
  }
  return map;
}
