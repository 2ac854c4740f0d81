import { escapeHtml as e } from './escape.js';

export interface Bar {
  readonly phase: 'dump' | 'load';
  readonly table: string;
  /** Seconds from the start of its phase. */
  readonly start: number;
  readonly seconds: number;
}

const LABEL = 220;
const PLOT = 640;
const ROW = 18;
const HEAD = 26;

/**
 * Per-table timings as an inline SVG: one row per table and phase, a bar from when the table began to when
 * it finished, on one time axis per phase (dump rows, then load rows). Each bar carries its numbers as data
 * attributes and a tooltip, so what the chart shows can be checked.
 */
export function timelineSvg(bars: readonly Bar[]): string {
  const phases = (['dump', 'load'] as const).filter((p) => bars.some((b) => b.phase === p));
  let y = 0;
  const parts: string[] = [];
  for (const phase of phases) {
    const rows = bars.filter((b) => b.phase === phase).sort((a, b) => a.start - b.start);
    const span = Math.max(1e-3, ...rows.map((b) => b.start + b.seconds));
    const scale = PLOT / span;
    parts.push(`<text x="0" y="${y + 16}" font-weight="600">${phase} (${span.toFixed(1)} s)</text>`);
    for (const tick of ticks(span)) {
      const x = LABEL + tick * scale;
      parts.push(`<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${y + HEAD - 4}" y2="${y + HEAD + rows.length * ROW}" stroke="#d0d7de"/>`);
      parts.push(`<text x="${x.toFixed(1)}" y="${y + HEAD - 8}" text-anchor="middle" fill="#57606a">${formatTick(tick)}</text>`);
    }
    rows.forEach((b, i) => {
      const top = y + HEAD + i * ROW;
      const width = Math.max(1, b.seconds * scale);
      parts.push(`<text x="${LABEL - 8}" y="${top + 13}" text-anchor="end">${e(b.table.length > 32 ? `…${b.table.slice(-31)}` : b.table)}</text>`);
      parts.push(`<rect class="bar bar-${phase}" data-phase="${phase}" data-table="${e(b.table)}" data-start="${b.start.toFixed(3)}" data-seconds="${b.seconds.toFixed(3)}" ` +
        `x="${(LABEL + b.start * scale).toFixed(2)}" y="${top + 3}" width="${width.toFixed(2)}" height="${ROW - 6}" rx="2">` +
        `<title>${e(b.table)}: ${phase} ${b.seconds.toFixed(2)} s, from ${b.start.toFixed(2)} s</title></rect>`);
    });
    y += HEAD + rows.length * ROW + 18;
  }
  return `<svg id="timeline-chart" xmlns="http://www.w3.org/2000/svg" width="${LABEL + PLOT + 30}" height="${y}" role="img" aria-label="Per-table dump and load timings">\n${parts.join('\n')}\n</svg>`;
}

/** About five round tick positions from 0 to span seconds. */
export function ticks(span: number): number[] {
  const raw = span / 5;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = 0; t <= span + 1e-9; t += step) out.push(Number(t.toFixed(6)));
  return out;
}

function formatTick(t: number): string {
  return `${Number.isInteger(t) ? t : t.toFixed(t < 1 ? 2 : 1)} s`;
}
