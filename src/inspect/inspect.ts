import { dumpLocation } from '../files/store.js';
import { connectMy, myTarget } from '../target/mysql/connect.js';
import { readManifest, type Manifest } from '../model/dump-format/manifest.js';
import { readJournal } from '../target/mysql/journal.js';

export interface TableInspection {
  readonly source: string;
  readonly target: string;
  readonly complete: boolean;
  readonly rows: number;
  readonly bytes: number;
  readonly chunks: number;
  /** Parts done of a table dumped in key ranges. */
  readonly parts?: { readonly done: number; readonly total: number };
  /** With a target: chunks of this table already loaded. */
  readonly loadedChunks?: number;
}

export interface Inspection {
  readonly dir: string;
  readonly dumpId: string;
  readonly complete: boolean;
  readonly oneSnapshot: boolean;
  /** How this dump's run stored its chunks (--compress); absent: plain TSV. */
  readonly compress?: { readonly name: string; readonly level: number };
  /** The command that wrote the folder (absent in folders of older pgmy: dump). */
  readonly by: 'dump' | 'migrate';
  readonly source: Manifest['source'];
  readonly createdAt: string;
  readonly completedAt?: string;
  readonly tables: readonly TableInspection[];
  readonly notices: { readonly info: number; readonly warning: number; readonly error: number };
  readonly load?: { readonly database: string; readonly chunksLoaded: number; readonly chunksTotal: number; readonly postDataSteps: number; readonly done: boolean; readonly by: 'load' | 'migrate'; readonly otherDumps: readonly string[] };
}

/** What a dump folder holds and, with a target, how far a load of it has got (from the target's journal). */
export async function inspect(dir: string, target?: string, targetPassword?: string): Promise<Inspection> {
  const root = dumpLocation(dir);
  const m = await readManifest(root);
  let journal: Array<{ dump_id: string; kind: string; item: string }> = [];
  let database = '';
  if (target) {
    const t = myTarget(target, targetPassword);
    database = t.database;
    const conn = await connectMy(t);
    try {
      journal = await readJournal(conn, t.database);
    } finally {
      await conn.end().catch(() => undefined);
    }
  }
  const mine = journal.filter((j) => j.dump_id === m.dumpId);
  const loaded = new Set(mine.filter((j) => j.kind === 'chunk').map((j) => j.item));
  const tables = m.data.map((d): TableInspection => ({
    source: `${d.schema}.${d.name}`, target: d.target, complete: d.complete, rows: d.rows, bytes: d.bytes, chunks: d.chunks.length,
    ...(d.parts ? { parts: { done: d.parts.filter((p) => p.complete).length, total: d.parts.length } } : {}),
    ...(target ? { loadedChunks: d.chunks.filter((c) => loaded.has(c.file)).length } : {}),
  }));
  const count = (level: string) => m.target.notices.filter((n) => n.level === level).length;
  return {
    dir: root, dumpId: m.dumpId, complete: m.complete, oneSnapshot: m.source.oneSnapshot, source: m.source,
    ...(m.options.compress ? { compress: m.options.compress } : {}), by: m.options.command ?? 'dump',
    createdAt: m.createdAt, ...(m.completedAt ? { completedAt: m.completedAt } : {}), tables,
    notices: { info: count('info'), warning: count('warning'), error: count('error') },
    ...(target ? {
      load: {
        database, chunksLoaded: loaded.size, chunksTotal: m.data.reduce((n, d) => n + d.chunks.length, 0),
        postDataSteps: mine.filter((j) => ['indexes', 'foreign-keys', 'auto-increment'].includes(j.kind)).length,
        done: mine.some((j) => j.kind === 'done' && j.item === 'load'), by: mine.some((j) => j.kind === 'mode' && j.item === 'by=migrate') ? 'migrate' : 'load', otherDumps: [...new Set(journal.map((j) => j.dump_id).filter((id) => id !== m.dumpId))],
      },
    } : {}),
  };
}
