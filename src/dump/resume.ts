import { join } from 'node:path';
import { sourceKey, type TargetSchema } from '../model/target.js';
import { checkChunk } from '../model/dump-format/chunk-check.js';
import type { Manifest, TableData } from '../model/dump-format/manifest.js';

/**
 * What an interrupted dump finished that can be kept: tables recorded complete, and the complete parts of
 * tables dumped in key ranges, when they are mapped the same way as now and every chunk is still on disk
 * with its recorded size and sha256. Entries of partly kept tables come back incomplete, with their parts.
 */
export async function reusableTables(dir: string, previous: Manifest, now: TargetSchema): Promise<Map<string, TableData>> {
  const kept = new Map<string, TableData>();
  for (const data of previous.data ?? []) {
    const before = previous.target?.tables?.find((t) => sourceKey(t) === sourceKey(data));
    const current = now.tables.find((t) => sourceKey(t) === sourceKey(data));
    if (!before || !current || JSON.stringify(before) !== JSON.stringify(current)) continue;
    if (data.complete) {
      if (await chunksIntact(dir, data.chunks)) kept.set(sourceKey(data), data);
    } else if (data.split && data.parts && data.split.kind !== 'ctid') {
      // Page ranges hold only within one snapshot: a table split by ctid is redone whole.
      const parts = [];
      for (const p of data.parts) {
        parts.push(p.complete && (await chunksIntact(dir, p.chunks)) ? p : { complete: false, rows: 0, bytes: 0, chunks: [] });
      }
      if (parts.some((p) => p.complete)) kept.set(sourceKey(data), { ...data, complete: false, parts });
    }
  }
  return kept;
}

async function chunksIntact(dir: string, chunks: TableData['chunks']): Promise<boolean> {
  for (const c of chunks) if ((await checkChunk(join(dir, c.file), c, true)).kind !== 'intact') return false;
  return true;
}
