import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncDir } from '../files/fs-durable.js';

/** How a table's folder stood when the COPYs began: made then (empty), or there before (a killed run's files in it). */
export type FolderState = 'made' | 'existed';

/**
 * Makes the folder of every table this run will write, in one pass before any COPY, and then fsyncs their
 * parent once, so that every folder's entry is on disk before a chunk in it can be listed by the manifest.
 * Made one by one as each COPY began, each mkdir waited on the file system's journal while the chunks of
 * other tables were being fsynced (0.2-0.5 ms each where 40 us is the cost alone), and each table's first
 * chunk fsynced the parent once more. Folders of a local dump only (object storage has none).
 */
export async function makeTableFolders(outDir: string, relDirs: Iterable<string>): Promise<ReadonlyMap<string, FolderState>> {
  const states = new Map<string, FolderState>();
  const parents = new Set<string>();
  for (const relDir of relDirs) {
    if (states.has(relDir)) continue;
    const dir = join(outDir, relDir);
    // Recursive: data/ itself is made with the first one. `made` names the first folder made, if any.
    const made = mkdirSync(dir, { recursive: true, mode: 0o700 });
    states.set(relDir, made === undefined ? 'existed' : 'made');
    parents.add(join(dir, '..'));
  }
  // An existing folder's entry too: a killed run may have made it and never synced its parent.
  for (const parent of parents) await fsyncDir(parent);
  return states;
}
