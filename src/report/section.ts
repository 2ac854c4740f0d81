import { writeHtmlReport } from './write.js';
import type { Manifest } from '../model/dump-format/manifest.js';
import { openStore } from '../files/stores.js';

export const REPORT_FILE = 'report.json';

export interface RunReport {
  readonly startedAt: string;
  readonly seconds: number;
  readonly tables: ReadonlyArray<{ readonly table: string; readonly rows: number; readonly bytes: number; readonly chunks: number; readonly seconds?: number; readonly mbPerSec?: number }>;
  readonly [key: string]: unknown;
}

/**
 * report.json in the dump folder: a `dump` section written by pgmy dump and a `load` section by each
 * pgmy load, for people and machines to read after the run, and report.html drawn from it for a browser.
 * The manifest stays the contract; these are a record. `manifest`: the one the caller has just written.
 */
export async function writeReportSection(dir: string, section: 'dump' | 'load', report: RunReport, manifest?: Manifest): Promise<void> {
  const store = await openStore(dir);
  const current = await store.readText(REPORT_FILE).then((t) => (t ? JSON.parse(t) as Record<string, unknown> : {}), () => ({}));
  await store.writeWhole(REPORT_FILE, JSON.stringify({ ...current, [section]: report }, null, 2) + '\n');
  await writeHtmlReport(dir, manifest);
}
