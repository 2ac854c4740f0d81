import { openStore } from '../files/stores.js';
import { readManifest, type Manifest } from '../model/dump-format/manifest.js';
import { renderHtmlReport, type ReportJson } from './html.js';

export const HTML_REPORT_FILE = 'report.html';

/** (Re)writes report.html in a dump folder from its manifest.json (or the manifest as just written) and report.json. */
export async function writeHtmlReport(dir: string, written?: Manifest): Promise<string> {
  const manifest = written ?? await readManifest(dir);
  const store = await openStore(dir);
  const report = JSON.parse(await store.readText('report.json').catch(() => undefined) ?? '{}') as ReportJson;
  await store.writeWhole(HTML_REPORT_FILE, renderHtmlReport(manifest, report));
  return store.where(HTML_REPORT_FILE);
}
