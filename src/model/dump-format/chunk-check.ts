import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { ChunkRecord } from './manifest.js';

/** A chunk file against its manifest record; the sha256 is only computed when asked for and the size matches. */
export type ChunkState =
  | { readonly kind: 'missing' }
  | { readonly kind: 'size'; readonly size: number }
  | { readonly kind: 'sha256'; readonly size: number; readonly sha256: string }
  | { readonly kind: 'intact'; readonly size: number };

export async function checkChunk(path: string, chunk: ChunkRecord, withHash: boolean): Promise<ChunkState> {
  const s = await stat(path).catch(() => undefined);
  if (!s) return { kind: 'missing' };
  if (s.size !== chunk.bytes) return { kind: 'size', size: s.size };
  if (!withHash) return { kind: 'intact', size: s.size };
  const hash = createHash('sha256');
  await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), hash);
  const sha256 = hash.digest('hex');
  return sha256 === chunk.sha256 ? { kind: 'intact', size: s.size } : { kind: 'sha256', size: s.size, sha256 };
}
