import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { DumpStore } from '../../files/store.js';
import type { ChunkRecord } from './manifest.js';

/** A chunk file against its manifest record; the sha256 is only computed when asked for and the size matches. */
export type ChunkState =
  | { readonly kind: 'missing' }
  | { readonly kind: 'size'; readonly size: number }
  | { readonly kind: 'sha256'; readonly size: number; readonly sha256: string }
  | { readonly kind: 'intact'; readonly size: number };

export async function checkChunk(store: DumpStore, chunk: ChunkRecord, withHash: boolean): Promise<ChunkState> {
  const size = await store.size(chunk.file);
  if (size === undefined) return { kind: 'missing' };
  if (size !== chunk.bytes) return { kind: 'size', size };
  if (!withHash) return { kind: 'intact', size };
  const hash = createHash('sha256');
  await pipeline(store.openRead(chunk.file, chunk.bytes), hash);
  const sha256 = hash.digest('hex');
  return sha256 === chunk.sha256 ? { kind: 'intact', size } : { kind: 'sha256', size, sha256 };
}
