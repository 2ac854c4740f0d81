import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { sourceKey, type TargetSchema } from '../mapping/target-model.js';
import type { Manifest, TableData } from './manifest.js';

/**
 * Tables an interrupted dump finished that can be kept: recorded complete, mapped the same way as now, and
 * every chunk still on disk with its recorded size and sha256.
 */
export async function reusableTables(dir: string, previous: Manifest, now: TargetSchema): Promise<Map<string, TableData>> {
  const kept = new Map<string, TableData>();
  for (const data of previous.data ?? []) {
    if (!data.complete) continue;
    const before = previous.target?.tables?.find((t) => sourceKey(t) === sourceKey(data));
    const current = now.tables.find((t) => sourceKey(t) === sourceKey(data));
    if (!before || !current || JSON.stringify(before) !== JSON.stringify(current)) continue;
    if (await chunksIntact(dir, data)) kept.set(sourceKey(data), data);
  }
  return kept;
}

async function chunksIntact(dir: string, data: TableData): Promise<boolean> {
  for (const c of data.chunks) {
    const path = join(dir, c.file);
    const s = await stat(path).catch(() => undefined);
    if (!s || s.size !== c.bytes) return false;
    const hash = createHash('sha256');
    await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), hash);
    if (hash.digest('hex') !== c.sha256) return false;
  }
  return true;
}
