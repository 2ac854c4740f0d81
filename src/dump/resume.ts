import { openStore } from '../files/stores.js';
import type { DumpStore } from '../files/store.js';
import { PgmyError } from '../errors.js';
import { sourceKey, type TargetSchema } from '../model/target.js';
import { checkChunk } from '../model/dump-format/chunk-check.js';
import { FORMAT, FORMAT_VERSION, MANIFEST_FILE, type Manifest, type TableData } from '../model/dump-format/manifest.js';

/**
 * What an interrupted dump finished that can be kept: tables recorded complete, and the complete parts of
 * tables dumped in key ranges, when they are mapped the same way as now and every chunk is still on disk
 * with its recorded size and sha256. Entries of partly kept tables come back incomplete, with their parts.
 */
export async function reusableTables(dir: string, previous: Manifest, now: TargetSchema): Promise<Map<string, TableData>> {
  const store = await openStore(dir);
  const kept = new Map<string, TableData>();
  for (const data of previous.data ?? []) {
    const before = previous.target?.tables?.find((t) => sourceKey(t) === sourceKey(data));
    const current = now.tables.find((t) => sourceKey(t) === sourceKey(data));
    if (!before || !current || JSON.stringify(before) !== JSON.stringify(current)) continue;
    if (data.complete) {
      if (await chunksIntact(store, data.chunks)) kept.set(sourceKey(data), data);
    } else if (data.split && data.parts && data.split.kind !== 'ctid') {
      // Page ranges hold only within one snapshot: a table split by ctid is redone whole.
      const parts = [];
      for (const p of data.parts) {
        parts.push(p.complete && (await chunksIntact(store, p.chunks)) ? p : { complete: false, rows: 0, bytes: 0, chunks: [] });
      }
      if (parts.some((p) => p.complete)) kept.set(sourceKey(data), { ...data, complete: false, parts });
    }
  }
  return kept;
}

/**
 * Every chunk there with its recorded size and sha256. In object storage the size is enough: an object
 * exists only once its upload completed, and load checks each sha256 as it reads.
 */
async function chunksIntact(store: DumpStore, chunks: TableData['chunks']): Promise<boolean> {
  for (const c of chunks) if ((await checkChunk(store, c, !store.remote)).kind !== 'intact') return false;
  return true;
}

/** Files a dump folder may hold before its first manifest is written (or while one is being replaced). */
const DUMP_FILES = ['schema.sql', 'post-data.sql', 'data', 'report.json', 'schema.sql.partial', 'post-data.sql.partial', 'manifest.json.partial', 'report.json.partial'];

/** The manifest an earlier run left, if any; read loosely, since it is only used to reuse finished tables. */
export async function previousManifest(dir: string): Promise<Manifest | undefined> {
  const store = await openStore(dir);
  const entries = await store.entries().catch(() => undefined) ?? [];
  if (!entries.includes(MANIFEST_FILE)) {
    if (entries.length > 0 && !entries.every((e) => DUMP_FILES.includes(e))) {
      throw new PgmyError('out-folder', `${dir} is not empty and holds no pgmy dump.`, { hint: 'Choose an empty or new folder for --out.' });
    }
    return undefined;
  }
  try {
    const m = JSON.parse(await store.readText(MANIFEST_FILE) ?? '') as Manifest;
    return m.format === FORMAT && m.formatVersion === FORMAT_VERSION ? m : undefined;
  } catch {
    return undefined;
  }
}

/** The interrupted dump in `out` to resume, if any; a complete one is refused. */
export async function unfinishedDump(out: string): Promise<Manifest | undefined> {
  const previous = await previousManifest(out);
  if (previous?.complete) {
    throw new PgmyError('out-folder', `${out} already holds a complete dump (${previous.dumpId}).`, {
      hint: 'Choose another --out, or remove that folder to dump again.',
    });
  }
  return previous;
}
