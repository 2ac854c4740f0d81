import { dumpLocation } from '../files/store.js';
import { useS3Settings } from '../files/stores.js';
import { sourceKey } from '../model/target.js';
import { plan, type PlanReport } from '../plan/run-plan.js';
import type { DumpOptions } from './options.js';
import { checkPlanned, planOptionsFor } from './planning.js';
import { reusableTables, unfinishedDump } from './resume.js';
import { checkOutFolder } from '../files/out-folder.js';

export interface DumpDryRun {
  readonly out: string;
  /** new: the folder is empty or missing; resume: an earlier, interrupted dump is there. */
  readonly folder: 'new' | 'resume';
  readonly dumpId?: string;
  readonly tables: ReadonlyArray<{ readonly table: string; readonly target: string; readonly estimatedRows: number; readonly estimatedBytes: number; readonly kept: boolean }>;
  readonly estimatedBytes: number;
  readonly report: PlanReport;
}

/**
 * `pgmy dump --dry-run` (and the first half of `migrate --dry-run`): the plan in one snapshot (catalog, data
 * scan, blockers), the same checks of the output folder the dump makes, and which tables an earlier run
 * left that would be kept. Nothing is written. With `target`, the target's checks of `plan --target` too.
 */
export async function dumpDryRun(options: DumpOptions & { readonly target?: string; readonly targetPassword?: string }): Promise<DumpDryRun> {
  if (options.s3Endpoint !== undefined) useS3Settings({ endpoint: options.s3Endpoint });
  const out = dumpLocation(options.out);
  await checkOutFolder(out);
  const planned = planOptionsFor(options);
  const report = await plan({
    source: options.source, ...(options.sourcePassword !== undefined ? { sourcePassword: options.sourcePassword } : {}),
    ...(options.target !== undefined ? { target: options.target } : {}),
    ...(options.targetPassword !== undefined ? { targetPassword: options.targetPassword } : {}), ...planned,
  });
  const { catalog, target } = report.plan;
  checkPlanned(catalog, target, planned.schemas);

  const previous = await unfinishedDump(out);
  const kept = previous ? await reusableTables(out, previous, target) : new Map<string, { readonly complete: boolean }>();
  const tables = target.tables.map((t, i) => ({
    table: sourceKey(t), target: t.name, estimatedRows: catalog.tables[i]?.estimatedRows ?? 0, estimatedBytes: catalog.tables[i]?.estimatedBytes ?? 0,
    kept: kept.get(sourceKey(t))?.complete === true,
  }));
  return {
    out, folder: previous ? 'resume' : 'new', ...(previous ? { dumpId: previous.dumpId } : {}), tables,
    estimatedBytes: tables.reduce((n, t) => n + (t.kept ? 0 : t.estimatedBytes), 0), report,
  };
}
