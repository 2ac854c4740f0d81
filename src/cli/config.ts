import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { PgmyError } from '../index.js';

/**
 * pgmy.json: the optional config file (`--config pgmy.json`) for plan, dump and migrate. It holds what a
 * team wants to keep with the project — table filters, renames, per-column types — not connection URLs
 * or passwords. Options given on the command line win; --cast and --rename entries are added to the
 * file's (the command line's win for the same key).
 */
export const configSchema = z.strictObject({
  $schema: z.string().optional(),
  schemas: z.array(z.string().min(1)).min(1).optional(),
  schemaMap: z.record(z.string().min(1), z.string()).optional(),
  tables: z.array(z.string().min(1)).optional(),
  excludeTables: z.array(z.string().min(1)).optional(),
  rename: z.record(z.string().regex(/^[^=]+$/, 'a key is [schema.]table'), z.string().min(1).max(64)).optional(),
  cast: z.record(z.string().regex(/^[^.=]+(\.[^.=]+){1,2}$/, 'a key is [schema.]table.column'), z.string().min(1)).optional(),
  jobs: z.number().int().positive().optional(),
  chunkSize: z.union([z.number().int().positive(), z.string().min(1)]).optional(),
  compress: z.string().min(1).optional(),
  onUnrepresentable: z.enum(['error', 'null', 'text']).optional(),
  textCollation: z.string().min(1).optional(),
  textKeys: z.enum(['varchar', 'refuse']).optional(),
  conventions: z.enum(['django', 'rails']).optional(),
});

export type Config = z.infer<typeof configSchema>;

export async function readConfig(path: string): Promise<Config> {
  const file = resolve(path);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new PgmyError('unreadable-file', `The config file ${file} cannot be read: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}.`, {
      hint: 'Check the path given to --config.', cause,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new PgmyError('usage', `The config file ${file} is not valid JSON: ${(cause as Error).message}.`, { hint: 'Fix the file (README: "pgmy.json").', cause });
  }
  const parsed = configSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      // A bad record key carries the reason (the key's pattern message) one level down.
      const why = i.code === 'invalid_key' && i.issues.length > 0 ? i.issues.map((x) => x.message).join(', ') : i.message;
      return `${i.path.length > 0 ? i.path.map(String).join('.') : '(top level)'}: ${why}`;
    });
    throw new PgmyError('usage', `The config file ${file} is not valid: ${problems.join('; ')}.`, {
      hint: 'Allowed keys: schemas, schemaMap, tables, excludeTables, rename, cast, jobs, chunkSize, compress, onUnrepresentable, textCollation, textKeys, conventions (README: "pgmy.json").',
    });
  }
  return parsed.data;
}

type Args = Record<string, unknown>;

/** Fills the options the command line left out from the config; --cast and --rename are merged, the command line's last. */
export function applyConfig(args: Args, config: Config): Args {
  const out: Args = { ...args };
  const fill = (option: string, value: unknown) => {
    if (value !== undefined && (out[option] === undefined || (Array.isArray(out[option]) && (out[option] as unknown[]).length === 0))) out[option] = value;
  };
  fill('schema', config.schemas);
  fill('schema-map', config.schemaMap && Object.entries(config.schemaMap).map(([k, v]) => `${k}=${v}`));
  fill('tables', config.tables);
  fill('exclude-tables', config.excludeTables);
  fill('jobs', config.jobs);
  fill('chunk-size', config.chunkSize === undefined ? undefined : String(config.chunkSize));
  fill('compress', config.compress);
  fill('on-unrepresentable', config.onUnrepresentable);
  fill('text-collation', config.textCollation);
  fill('text-keys', config.textKeys);
  fill('conventions', config.conventions);
  const merged = (option: string, entries: Record<string, string> | undefined) => {
    const fromFile = Object.entries(entries ?? {}).map(([k, v]) => `${k}=${v}`);
    out[option] = [...fromFile, ...((args[option] as string[] | undefined) ?? [])];
  };
  merged('cast', config.cast);
  merged('rename', config.rename);
  return out;
}
