import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../files/fs-durable.js';
import { readManifest, type Manifest } from '../model/dump-format/manifest.js';
import { renderHtmlReport, type ReportJson } from './html.js';

export const HTML_REPORT_FILE = 'report.html';

/** (Re)writes report.html in a dump folder from its manifest.json (or the manifest as just written) and report.json. */
export async function writeHtmlReport(dir: string, written?: Manifest): Promise<string> {
  const manifest = written ?? await readManifest(dir);
  const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8').catch(() => '{}')) as ReportJson;
  const path = join(dir, HTML_REPORT_FILE);
  await writeFileAtomic(path, renderHtmlReport(manifest, report), dir);
  return path;
}
