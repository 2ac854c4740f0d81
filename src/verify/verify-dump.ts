import { dumpLocation } from '../files/store.js';
import { openStore } from '../files/stores.js';
import { checkChunk } from '../model/dump-format/chunk-check.js';
import { readManifest } from '../model/dump-format/manifest.js';
import { checkSqlFiles } from '../model/dump-format/sha256.js';

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

/** Checks every chunk of a dump folder against the manifest (present, the recorded size, the recorded sha256), and its .sql files; readManifest checks the manifest's own. */
export async function verifyDumpFolder(dir: string): Promise<DumpCheck> {
  const root = dumpLocation(dir);
  const store = await openStore(root);
  const manifest = await readManifest(root);
  const problems: ChunkProblem[] = [];
  let chunks = 0;
  let bytes = 0;
  for (const chunk of manifest.data.flatMap((d) => d.chunks)) {
    chunks++;
    const state = await checkChunk(store, chunk, true);
    if (state.kind === 'missing') problems.push({ file: chunk.file, problem: 'missing' });
    else if (state.kind === 'size') problems.push({ file: chunk.file, problem: `${state.size} bytes, the manifest records ${chunk.bytes}` });
    else {
      if (state.kind === 'sha256') problems.push({ file: chunk.file, problem: `sha256 ${state.sha256}, the manifest records ${chunk.sha256}` });
      bytes += state.size;
    }
  }
  problems.push(...await checkSqlFiles(root, manifest.files));
  return { dir: root, complete: manifest.complete, chunks, bytes, problems };
}
