import { dumpLocation } from '../files/store.js';
import { connectMy, myQueryError, myTarget, serverInfo } from '../target/mysql/connect.js';
import { interrupted } from '../errors.js';
import { ClaimingSource } from './claiming-source.js';
import { following, type Feed } from './follow.js';
import type { ChunkJob } from './load-chunk.js';
import { writeReportSection } from '../report/section.js';
import type { ServerFlavor } from '../model/target.js';
import { loadableDump, localInfileOff } from './checks.js';
import { dryRun, type DryRun } from './dry-run.js';
import { LoadSession, listSource } from './session.js';
import type { LoadOptions, LoadResult } from './options.js';
import { DEFAULTS } from '../defaults.js';
import type { Manifest } from '../model/dump-format/manifest.js';
import type { Notice } from '../model/target.js';
import { onlyTables } from './only-tables.js';

export type { LoadEvent, LoadOptions, LoadResult, TableLoadResult } from './options.js';

/** `pgmy load --dry-run`: every check the load makes before it changes anything, and what it would do. */
export async function loadDryRun(options: LoadOptions): Promise<DryRun & { readonly flavor: ServerFlavor; readonly serverVersion: string }> {
  const { manifest } = selected((await loadableDump(options.dir, options.s3Endpoint)).manifest, options);
  const target = myTarget(options.target, options.targetPassword);
  const conn = await connectMy(target);
  try {
    const info = await serverInfo(conn);
    if ((options.method ?? DEFAULTS.method) === 'infile' && !info.localInfile) throw localInfileOff(info, target);
    const r = await dryRun(conn, target.database, manifest, {
      dataOnly: options.dataOnly ?? false, truncate: options.truncate ?? false, restart: options.restart ?? false,
      ignoreCase: options.ignoreCase ?? false, allowMissingColumns: options.allowMissingColumns ?? false,
    });
    return { ...r, flavor: info.flavor, serverVersion: info.version };
  } finally {
    await conn.end().catch(() => undefined);
  }
}

/** Replays a dump folder into MySQL/MariaDB. Safe to kill at any moment and run again. */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const result = await loadOnce(options);
  await writeLoadReport(options.dir, result, options.dataOnly ?? false);
  return result;
}

/** The load's section of report.json (and report.html); best effort: a dump folder on read-only media still loads. */
export async function writeLoadReport(dir: string, result: LoadResult, dataOnly: boolean): Promise<void> {
  await writeReportSection(dumpLocation(dir), 'load', {
    startedAt: new Date(Date.now() - result.seconds * 1000).toISOString(), seconds: result.seconds,
    database: result.database, flavor: result.flavor, serverVersion: result.serverVersion,
    chunksLoaded: result.chunksLoaded, chunksSkipped: result.chunksSkipped, dataOnly,
    tables: result.tables.map((t) => ({
      table: t.name, rows: t.rows, bytes: t.bytes, chunks: t.chunks,
      ...(t.seconds !== undefined ? { startSecond: t.startSecond, seconds: t.seconds, mbPerSec: t.bytes / 1e6 / Math.max(t.seconds, 1e-6) } : { alreadyLoaded: true }),
    })),
  }).catch(() => undefined);
}

async function loadOnce(options: LoadOptions): Promise<LoadResult> {
  const { dir, manifest: whole } = await loadableDump(options.dir, options.s3Endpoint, options.follow ? { waitSeconds: options.stallTimeout ?? DEFAULTS.stallSeconds } : undefined);
  const emit = options.onEvent ?? (() => undefined);
  const { manifest, notices } = selected(whole, options);
  for (const n of notices) emit({ type: 'warning', ...(n.table ? { table: n.table } : {}), message: n.message });
  const session = await LoadSession.open({ ...options, dir }, manifest);
  try {
    const source = listSource(manifest, session.loaded);
    emit({
      type: 'start', database: session.database, flavor: session.info.flavor, serverVersion: session.info.version, chunks: source.size,
      bytes: source.bytes, alreadyLoaded: session.loaded.size, tables: [...source.perTable.values()].map((t) => ({ ...t })),
    });
    const partial = manifest !== whole;
    const feed: Feed = whole.complete ? () => Promise.resolve({ items: source.items, manifest: whole }) : following(dir, options, (m) => listSource(selected(m, options).manifest, new Set()).items);
    const last = await loadShared(session, feed, options, (job) => {
      const left = source.perTable.get(job.table.name);
      if (left && --left.chunks === 0) emit({ type: 'table-done', table: job.table.name });
    });
    return await session.finish(partial ? selected(last, options).manifest : last, partial);
  } finally {
    await session.close();
  }
}

/**
 * Loads the chunks this loader can claim, then waits for those other loaders of the same dump hold: each is
 * journaled when they finish it, or claimed here once their lease runs out (a loader that died). Returns
 * when every chunk of the dump is in the journal.
 */
async function loadShared(session: LoadSession, feed: Feed, options: LoadOptions, onChunkDone: (job: ChunkJob) => void): Promise<Manifest> {
  const lease = options.claimLeaseSeconds ?? DEFAULTS.claimLeaseSeconds;
  const conn = await session.side();
  const claims = await ClaimingSource.open(conn, session.dumpId, [], lease).catch(async (err: unknown) => {
    await conn.end().catch(() => undefined);
    throw myQueryError(err, 'preparing the chunk claims');
  });
  try {
    for (;;) {
      const { items, manifest } = await feed(() => claims.journal());
      claims.offer(items);
      await claims.requeueUnfinished();
      await session.run(claims, onChunkDone);
      if ((await claims.requeueUnfinished()) === 0 && manifest.complete) return manifest;
      if (options.signal?.aborted) throw interrupted();
      await new Promise((r) => setTimeout(r, Math.min(1000, (lease * 1000) / 4)));
    }
  } finally {
    claims.close();
    await conn.end().catch(() => undefined);
  }
}

/** The dump, or with --tables the part of it to load (and what that leaves out). */
function selected(manifest: Manifest, options: LoadOptions): { manifest: Manifest; notices: readonly Notice[] } {
  return options.tables?.length ? onlyTables(manifest, options.tables) : { manifest, notices: [] };
}
