import { PgmyError } from '../errors.js';
import { DEFAULTS } from '../defaults.js';
import type { ChunkRecord, Manifest, TableData } from '../model/dump-format/manifest.js';
import { tableDirName } from '../model/dump-format/file-names.js';
import { readAgain } from './checks.js';
import type { LoadOptions } from './options.js';

type Item = { data: TableData; chunk: ChunkRecord };
/** What to load next, and the manifest it came from; given the journal, for the check of loaded chunks. */
export type Feed = (journaled: () => Promise<ReadonlyMap<string, string | null>>) => Promise<{ items: readonly Item[]; manifest: Manifest }>;

/**
 * load --follow: the manifest of a dump still being written, read again each time the chunks known so far
 * are loaded. Loaded are the chunks a resumed dump keeps: those of tables it records complete, and of the
 * complete key-range parts of a table dumped in parts (a table split by page ranges, or dumped whole, may be
 * redone from the start until it is complete). A chunk loaded earlier that the dump no longer lists as it
 * was (the dump was restarted and redid its table) stops the load, to be run again: its start empties that
 * table. A dump that makes no progress for --stall-timeout seconds is an error.
 */
export function following(dir: string, options: LoadOptions, itemsOf: (m: Manifest) => readonly Item[]): Feed {
  const stallMs = 1000 * (options.stallTimeout ?? DEFAULTS.stallSeconds);
  let seen = '';
  let changedAt = performance.now();
  return async (journaled) => {
    const manifest = await readAgain(dir);
    const kept = followable(manifest);
    checkLoaded(dir, kept, await journaled());
    const state = `${manifest.complete} ${manifest.data.map((d) => `${d.complete}:${d.chunks.length}`).join(',')}`;
    if (state !== seen) {
      seen = state;
      changedAt = performance.now();
    } else if (performance.now() - changedAt > stallMs) {
      throw new PgmyError('stalled', `The dump in ${dir} has not moved for ${Math.round(stallMs / 1000)} s (load --follow waits for its tables to complete).`, {
        hint: 'Is pgmy dump (or migrate) still running into it? Run the same load --follow again once it is: what was loaded is kept.',
      });
    }
    return { items: itemsOf(kept), manifest };
  };
}

/** The manifest with only the chunks a resumed dump would keep: complete tables', and complete key-range parts'. */
export function followable(manifest: Manifest): Manifest {
  return { ...manifest, data: manifest.data.map((d) => (d.complete || (d.split && d.split.kind !== 'ctid') ? d : { ...d, chunks: [] })) };
}

/** Every journaled chunk of a table must be one the manifest lists for it now, with the same sha256. */
export function checkLoaded(dir: string, kept: Manifest, journal: ReadonlyMap<string, string | null>): void {
  for (const d of kept.data) {
    const folder = `data/${tableDirName(d.schema, d.name)}/`;
    const listed = new Map(d.chunks.map((c) => [c.file, c.sha256]));
    for (const [file, sha] of journal) {
      if (!file.startsWith(folder) || listed.get(file) === sha) continue;
      throw new PgmyError('dump-mismatch', `The dump in ${dir} is redoing ${d.schema}.${d.name}, of which chunks were already loaded (${file}).`, {
        table: d.target, chunk: file,
        hint: 'Run the same load --follow again: it empties that table and loads it from the dump as it is now.',
      });
    }
  }
}
