import type { Manifest } from '../model/dump-format/manifest.js';
import { describeRule } from '../model/target.js';
import { escapeHtml as e } from './escape.js';
import { timelineSvg, type Bar } from './timeline.js';

/** What report.json holds: the `dump` section and, after a load, the `load` section. */
export interface ReportJson {
  readonly dump?: ReportSection;
  readonly load?: ReportSection & { readonly database?: string; readonly flavor?: string; readonly serverVersion?: string };
}

export interface ReportSection {
  readonly startedAt: string;
  readonly seconds: number;
  readonly tables: ReadonlyArray<{
    readonly table: string; readonly target?: string; readonly rows: number; readonly bytes: number; readonly chunks: number;
    readonly startSecond?: number; readonly seconds?: number; readonly mbPerSec?: number;
  }>;
}


function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 1);
}

function secs(s: number | undefined): string {
  return s === undefined ? '' : s.toFixed(2);
}

/**
 * report.html: one self-contained page (no scripts, no external files) a person can open from the dump
 * folder: the run's facts, per-table timings drawn as a chart, the table summary, warnings and every
 * column's type decision.
 */
export function renderHtmlReport(manifest: Manifest, report: ReportJson): string {
  const src = manifest.source;
  const notices = manifest.target.notices.filter((n) => n.level !== 'info');
  const loadByTable = new Map((report.load?.tables ?? []).map((t) => [t.table, t]));
  const bars: Bar[] = [];
  for (const t of report.dump?.tables ?? []) {
    if (t.startSecond !== undefined && t.seconds !== undefined) bars.push({ phase: 'dump', table: t.target ?? t.table, start: t.startSecond, seconds: t.seconds });
  }
  for (const t of report.load?.tables ?? []) {
    if (t.startSecond !== undefined && t.seconds !== undefined) bars.push({ phase: 'load', table: t.table, start: t.startSecond, seconds: t.seconds });
  }
  const facts: Array<[string, string]> = [
    ['dump', manifest.dumpId],
    ['source', `${src.url} (PostgreSQL ${src.server.version}, database ${src.server.database})`],
    ['snapshot', `${src.snapshotTime}${src.oneSnapshot ? '' : ' — resumed: tables come from more than one snapshot'}`],
    ['dump complete', manifest.complete ? `yes, ${manifest.completedAt ?? ''}` : 'no: the dump stopped before the end'],
    ...(report.dump ? [['dump time', `${report.dump.seconds.toFixed(1)} s from ${report.dump.startedAt}`] as [string, string]] : []),
    ...(report.load ? [['load', `${report.load.flavor ?? ''} ${report.load.serverVersion ?? ''}, database ${report.load.database ?? ''}, ${report.load.seconds.toFixed(1)} s from ${report.load.startedAt}`] as [string, string]] : []),
    ['pgmy', manifest.tool.version],
  ];
  const totalRows = manifest.data.reduce((n, d) => n + d.rows, 0);
  const totalBytes = manifest.data.reduce((n, d) => n + d.bytes, 0);
  const dumpByTable = new Map((report.dump?.tables ?? []).map((t) => [t.target ?? t.table, t]));

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>pgmy report: ${e(src.server.database)} (${e(manifest.dumpId)})</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 72em; padding: 0 1em; color: #1b1f24; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #d0d7de; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1.2em; } dl.facts dt { font-weight: 600; }
table { border-collapse: collapse; margin: .5em 0; } th, td { padding: .25em .7em; border-bottom: 1px solid #eaeef2; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; } th { background: #f6f8fa; }
code { font: 12.5px ui-monospace, monospace; } .warning { color: #9a6700; } .error { color: #cf222e; }
svg text { font: 12px system-ui, sans-serif; } .bar-dump { fill: #0969da; } .bar-load { fill: #1a7f37; }
details { margin: .3em 0; } summary { cursor: pointer; font-weight: 600; }
</style>
</head>
<body>
<h1>pgmy report: ${e(src.server.database)} → ${report.load?.flavor === 'mariadb' ? 'MariaDB' : report.load?.flavor === 'mysql' ? 'MySQL' : 'MySQL/MariaDB'}${report.load?.database !== undefined ? ` ${e(report.load.database)}` : ''}</h1>
<dl class="facts" id="facts">
${facts.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('\n')}
</dl>

<h2>Per-table timings</h2>
<section id="timeline">
${bars.length > 0 ? timelineSvg(bars) : '<p>No table was dumped or loaded in a recorded run.</p>'}
</section>

<h2>Tables</h2>
<table id="tables">
<thead><tr><th>table</th><th>rows</th><th>MB</th><th>chunks</th><th>dump s</th><th>dump MB/s</th><th>load s</th><th>load MB/s</th></tr></thead>
<tbody>
${manifest.data.map((d) => {
    const dt = dumpByTable.get(d.target);
    const lt = loadByTable.get(d.target);
    return `<tr data-table="${e(d.target)}"><td>${e(d.target)}</td><td class="n">${d.rows}</td><td class="n">${mb(d.bytes)}</td><td class="n">${d.chunks.length}</td>` +
      `<td class="n">${secs(dt?.seconds)}</td><td class="n">${dt?.mbPerSec?.toFixed(1) ?? ''}</td><td class="n">${secs(lt?.seconds)}</td><td class="n">${lt?.mbPerSec?.toFixed(1) ?? ''}</td></tr>`;
  }).join('\n')}
</tbody>
<tfoot><tr><th>${manifest.data.length} tables</th><td class="n">${totalRows}</td><td class="n">${mb(totalBytes)}</td><td class="n">${manifest.data.reduce((n, d) => n + d.chunks.length, 0)}</td><td></td><td></td><td></td><td></td></tr></tfoot>
</table>

<h2>Warnings</h2>
<section id="warnings">
${notices.length === 0 ? '<p>None.</p>' : `<ul>\n${notices.map((n) => `<li class="${e(n.level)}"><strong>${e([n.table, n.column].filter(Boolean).join('.') || n.object || 'dump')}</strong>: ${e(n.message)}</li>`).join('\n')}\n</ul>`}
</section>

<h2>Type decisions</h2>
<section id="types">
${manifest.target.tables.map((t) => `<details open data-table="${e(t.name)}"><summary>${e(t.sourceSchema)}.${e(t.sourceName)} → ${e(t.database ? `${t.database}.` : '')}${e(t.name)}</summary>
<table><thead><tr><th>column</th><th>PostgreSQL</th><th>MySQL</th><th>rule</th></tr></thead><tbody>
${t.columns.map((c) => `<tr><td><code>${e(c.name)}</code></td><td><code>${e(c.sourceType)}</code></td><td><code>${e(c.sqlType)}</code></td><td>${e(describeRule(c.rule))}</td></tr>`).join('\n')}
</tbody></table></details>`).join('\n')}
</section>
</body>
</html>
`;
}
