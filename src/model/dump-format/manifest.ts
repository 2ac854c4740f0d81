import { createHash } from 'node:crypto';
import { sha256Hex } from './sha256.js';
import type { z } from 'zod';
import type { Catalog } from '../catalog.js';
import { PgmyError } from '../../errors.js';
import type { TargetSchema } from '../target.js';
import { openStore } from '../../files/stores.js';
import { upgradeFromV1 } from './upgrade-v1.js';
import type { chunkSchema, manifestSchema, tableDataSchema } from './manifest-schema.js';
import { FORMAT, FORMAT_VERSION } from './format.js';

export const MANIFEST_FILE = 'manifest.json';
export { FORMAT, FORMAT_VERSION } from './format.js';

export type Manifest = Omit<z.infer<typeof manifestSchema>, 'target' | 'catalog'> & {
  target: TargetSchema;
  catalog: Catalog;
};
export type TableData = z.infer<typeof tableDataSchema>;
/** One chunk file as the manifest records it: path under the dump folder, rows, stored size and sha256, TSV size when compressed. */
export type ChunkRecord = z.infer<typeof chunkSchema>;

/**
 * The manifest carries its own sha256, taken over its JSON without that field: an edit (a column type, a
 * chunk's sha256) is found by load and verify DIR. A dump folder may come from another machine.
 */
function manifestChecksum(json: object): string {
  const { checksum: _own, ...rest } = json as { checksum?: unknown };
  return sha256Hex(JSON.stringify(rest));
}

/**
 * Writes the manifest with its checksum. `parts` keeps the JSON of its catalog and target, which do not change
 * while a dump runs, from one write to the next: a dump of 200 small tables wrote its 0.9 MB manifest several
 * times, and each write spent 40-60 ms turning the whole of it into JSON twice. It keeps them as UTF-8 bytes:
 * kept as strings, every write joined them into one string (flattened, copied) twice, for the checksum and
 * for the file, and encoded it again (a dump of 800 tables writes its 3.5 MB manifest six times).
 */
export async function writeManifest(dir: string, manifest: Manifest, parts?: ManifestParts): Promise<void> {
  const { checksum: _old, ...body } = manifest;
  await (await openStore(dir)).writeWhole(MANIFEST_FILE, [...manifestBytes(body, parts), NEWLINE]);
}

const NEWLINE = Buffer.from('\n');

/** A value's JSON in UTF-8, compact and as it is written one level down in the pretty form (indented two more spaces). */
interface PartJson { readonly compact: Buffer; readonly pretty: Buffer }

/**
 * The JSON of a manifest's parts that stay the same between writes, by identity: its catalog and target, and
 * each table's data entry, which the dump replaces by a new object when the table changes (entries are
 * frozen when first kept, so that one changed in place fails loudly instead of being written stale).
 */
export class ManifestParts {
  private readonly kept = new WeakMap<object, PartJson>();

  json(value: object, indent = '\n  '): PartJson {
    let hit = this.kept.get(value);
    if (!hit) {
      hit = partJson(value, indent);
      this.kept.set(value, hit);
    }
    return hit;
  }

  /** An array of kept entries, one level down, each entry two levels down (JSON.stringify's own layout). */
  entries(values: readonly object[]): PartJson {
    if (values.length === 0) return { compact: Buffer.from('[]'), pretty: Buffer.from('[]') };
    const each = values.map((v) => this.json(deepFreeze(v), '\n    '));
    return {
      compact: Buffer.concat(['[', ...each.flatMap((e, i) => (i === 0 ? [e.compact] : [COMMA, e.compact])), ']'].map(bytes)),
      pretty: Buffer.concat(['[\n    ', ...each.flatMap((e, i) => (i === 0 ? [e.pretty] : [ENTRY_BREAK, e.pretty])), '\n  ]'].map(bytes)),
    };
  }
}

const COMMA = Buffer.from(',');
const ENTRY_BREAK = Buffer.from(',\n    ');
const bytes = (b: Buffer | string): Buffer => (typeof b === 'string' ? Buffer.from(b) : b);

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** JSON strings never hold a raw line break, so every line break of the pretty form starts a line to indent. */
function partJson(value: unknown, indent = '\n  '): PartJson {
  return { compact: Buffer.from(JSON.stringify(value)), pretty: Buffer.from(JSON.stringify(value, null, 2).replaceAll('\n', indent)) };
}

const KEPT_PARTS = new Set(['catalog', 'target']);

/**
 * The manifest as JSON.stringify(body + checksum, null, 2) writes it, in UTF-8 pieces, the checksum taken over
 * JSON.stringify(body), both put together key by key so that the parts kept in `parts` are not stringified
 * (nor encoded, nor copied) again.
 */
export function manifestBytes(body: object, parts = new ManifestParts()): Buffer[] {
  const hash = createHash('sha256');
  const pretty: Buffer[] = [Buffer.from('{\n')];
  let first = true;
  const add = (key: string, value: unknown, hashed = true): void => {
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return;
    const j = KEPT_PARTS.has(key) && typeof value === 'object' && value !== null ? parts.json(value)
      : key === 'data' && Array.isArray(value) && value.every((v) => typeof v === 'object' && v !== null) ? parts.entries(value as object[])
        : partJson(value);
    if (hashed) hash.update(`${first ? '{' : ','}${JSON.stringify(key)}:`).update(j.compact);
    pretty.push(Buffer.from(`${first ? '' : ',\n'}  ${JSON.stringify(key)}: `), j.pretty);
    first = false;
  };
  for (const [key, value] of Object.entries(body)) add(key, value);
  if (first) hash.update('{');
  hash.update('}');
  add('checksum', hash.digest('hex'), false);
  pretty.push(Buffer.from('\n}'));
  return pretty;
}

/** manifestBytes as one string. */
export function manifestJson(body: object, parts = new ManifestParts()): string {
  return Buffer.concat(manifestBytes(body, parts)).toString('utf8');
}

/** Reads and validates a dump's manifest; every way it can be wrong gives an error naming the file. */
export async function readManifest(dir: string): Promise<Manifest> {
  const store = await openStore(dir);
  const path = store.where(MANIFEST_FILE);
  let text: string | undefined;
  try {
    text = await store.readText(MANIFEST_FILE);
  } catch (cause) {
    if (cause instanceof PgmyError) throw cause;
    throw new PgmyError('manifest', `${path} cannot be read: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}.`, {
      hint: 'Point pgmy at the folder that `pgmy dump --out` wrote; a dump that never finished has no manifest.', cause,
    });
  }
  if (text === undefined) {
    throw new PgmyError('manifest', `${path} cannot be read: ENOENT (there is no such file).`, {
      hint: 'Point pgmy at the folder that `pgmy dump --out` wrote; a dump that never finished has no manifest.',
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new PgmyError('manifest', `${path} is not valid JSON (truncated or edited?): ${(cause as Error).message}.`, {
      hint: 'Run `pgmy dump` again into this folder, or restore the file from the machine that made the dump.', cause,
    });
  }
  const head = json as { format?: unknown; formatVersion?: unknown; checksum?: unknown };
  if (head?.format !== FORMAT) {
    throw new PgmyError('manifest', `${path} is not a pgmy dump manifest.`, { hint: 'Point pgmy at a folder written by `pgmy dump`.' });
  }
  if (head.checksum !== undefined && head.checksum !== manifestChecksum(head)) {
    throw new PgmyError('manifest', `${path} was changed after pgmy wrote it: its checksum does not match its content.`, {
      hint: 'Restore the file from the machine that made the dump, or dump again; pgmy does not load or verify an edited manifest.',
    });
  }
  if (head.formatVersion === 1) json = upgradeFromV1(json);
  else if (head.formatVersion !== FORMAT_VERSION) {
    throw new PgmyError('manifest', `${path} has format version ${String(head.formatVersion)}; this pgmy reads versions 1 to ${FORMAT_VERSION}.`, {
      hint: typeof head.formatVersion === 'number' && head.formatVersion > FORMAT_VERSION
        ? 'It was written by a newer pgmy: upgrade pgmy to load it.'
        : 'Dump the database again with this version of pgmy.',
    });
  }
  const { manifestSchema: schema, whatIsWrong } = await import('./manifest-schema.js');
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new PgmyError('manifest', `${path} is damaged: ${whatIsWrong(parsed.error)}`, {
      hint: 'Run `pgmy dump` again, or restore the file from the machine that made the dump.',
    });
  }
  return parsed.data as unknown as Manifest;
}
