import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../files/fs-durable.js';
import { readManifest } from '../model/dump-format/manifest.js';
import { renderHtmlReport, type ReportJson } from './html.js';

export const HTML_REPORT_FILE = 'report.html';

/** (Re)writes report.html in a dump folder from its manifest.json and report.json. */
export async function writeHtmlReport(dir: string): Promise<string> {
  const manifest = await readManifest(dir);
  const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8').catch(() => '{}')) as ReportJson;
  const path = join(dir, HTML_REPORT_FILE);
  await writeFileAtomic(path, renderHtmlReport(manifest, report), dir);
  return path;
}
