import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { readManifest } from '../dump/manifest.js';

export interface ChunkProblem {
  readonly file: string;
  readonly problem: string;
}

export interface DumpCheck {
  readonly dir: string;
  readonly complete: boolean;
  readonly chunks: number;
  readonly bytes: number;
  readonly problems: readonly ChunkProblem[];
}

/** Checks every chunk of a dump folder against the manifest: present, the recorded size, the recorded sha256. */
export async function verifyDumpFolder(dir: string): Promise<DumpCheck> {
  const root = resolve(dir);
  const manifest = await readManifest(root);
  const problems: ChunkProblem[] = [];
  let chunks = 0;
  let bytes = 0;
  for (const chunk of manifest.data.flatMap((d) => d.chunks)) {
    chunks++;
    const path = join(root, chunk.file);
    const s = await stat(path).catch(() => undefined);
    if (!s) {
      problems.push({ file: chunk.file, problem: 'missing' });
      continue;
    }
    if (s.size !== chunk.bytes) {
      problems.push({ file: chunk.file, problem: `${s.size} bytes, the manifest records ${chunk.bytes}` });
      continue;
    }
    const hash = createHash('sha256');
    await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), hash);
    const sha = hash.digest('hex');
    if (sha !== chunk.sha256) problems.push({ file: chunk.file, problem: `sha256 ${sha}, the manifest records ${chunk.sha256}` });
    bytes += s.size;
  }
  return { dir: root, complete: manifest.complete, chunks, bytes, problems };
}
