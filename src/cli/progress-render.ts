import { formatBytes } from './output.js';
import type { ProgressModel, Side, TableProgress } from './progress-model.js';

/** 75 s → "1m15s", 4000 s → "1h06m": short enough for an 80-column line. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function count(n: number): string {
  return n >= 1e7 ? `${(n / 1e6).toFixed(0)}M` : n >= 1e4 ? `${(n / 1e3).toFixed(0)}k` : String(n);
}

function percent(fraction: number): string {
  return `${Math.floor(100 * fraction)}%`.padStart(4);
}

/**
 * One line of at most `width - 1` columns: the name (shortened from the left), the first `essential` fields
 * (percent and ETA: never the part cut off), a bar when there is room for one, then the other fields that
 * still fit, in order.
 */
export function fitLine(name: string, fraction: number | undefined, fields: readonly string[], width: number, indent = '', essential = 2): string {
  const room = Math.max(20, width - 1);
  const nameWidth = Math.min(24, Math.max(8, Math.floor(room / 3))) - indent.length;
  const head = indent + (name.length > nameWidth ? `…${name.slice(-(nameWidth - 1))}` : name.padEnd(nameWidth));
  const shown = fields.filter((f) => f !== '');
  const first = shown.slice(0, essential).join(' ');
  // The bar gives way to the next field (the sizes) before it gives way altogether.
  const free = room - head.length - first.length - 4;
  const next = shown[essential]?.length ?? 0;
  const barWidth = fraction === undefined ? 0 : Math.min(20, free - next - 1 >= 8 ? free - next - 1 : free);
  const filled = Math.round(Math.max(0, barWidth) * Math.min(1, fraction ?? 0));
  let line = barWidth >= 8 ? `${head} [${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}] ${first}` : `${head} ${first}`;
  for (const f of shown.slice(essential)) {
    if (line.length + 1 + f.length > room) break;
    line += ` ${f}`;
  }
  return line.slice(0, room);
}

function eta(seconds: number | undefined, prefix = 'ETA'): string {
  return seconds === undefined ? `${prefix} ?` : `${prefix} ${formatDuration(seconds)}`;
}

function sizes(done: number, total: number, exact: boolean): string {
  return `${formatBytes(done)}/${exact ? '' : '~'}${formatBytes(Math.max(done, total))}`;
}

function tableLine(t: TableProgress, now: number, width: number): string {
  const seconds = (now - t.started) / 1000;
  const rate = seconds >= 1 && t.done > 0 ? t.done / seconds : undefined;
  const left = t.total - t.kept - t.done;
  const f = t.total > 0 ? Math.min(0.99, (t.kept + t.done) / t.total) : 0;
  return fitLine(t.label, f, [
    percent(f), rate === undefined || left < 0 ? '' : eta(left / rate), sizes(t.kept + t.done, t.total, t.exact),
    t.rows > 0 ? `${count(t.rows)} rows` : '', rate === undefined ? '' : `${(rate / 1e6).toFixed(1)} MB/s`,
  ], width, '  ');
}

function sideFields(s: Side): string[] {
  const rate = s.rate();
  return [
    sizes(s.kept + s.done, s.total, s.exact), `${s.tablesDone}/${s.tablesTotal} tables`,
    s.rows > 0 ? `${count(s.rows)} rows` : '', rate === undefined ? '' : `${(rate / 1e6).toFixed(1)} MB/s`,
  ];
}

/**
 * The lines a terminal shows for the run: the whole run first (a migrate's line gives both sides), then each
 * table in flight, as many as fit in `rows`. The ETA is the data's: indexes and foreign keys come after it,
 * and the line says so while they are being added.
 */
export function renderFrame(m: ProgressModel, width: number, rows = 24): string[] {
  const now = m.now();
  const d = m.sides.get('dump');
  const l = m.sides.get('load');
  const lines: string[] = [];
  const elapsed = formatDuration((now - m.startedAt) / 1000);
  const dataDone = (l ?? d)?.fraction() === 1;
  const postData = l && dataDone && m.postDataTotal !== undefined && m.postDataTotal > 0 ? `indexes and keys ${m.postDataSteps}/${m.postDataTotal}` : '';
  const dataEta = dataDone ? '' : eta(m.secondsLeft(), !l ? 'ETA' : l.started ? 'data ETA' : 'dump ETA');
  if (m.what === 'migrate' && d && l) {
    lines.push(fitLine('MIGRATE', l.fraction(), [
      `dumped ${percent(d.fraction()).trim()} loaded ${percent(l.fraction()).trim()}`, dataEta || postData, `${l.tablesDone}/${Math.max(l.tablesTotal, d.tablesTotal)} tables`, elapsed,
    ], width));
  } else {
    const s = (d ?? l) as Side;
    lines.push(fitLine(m.what.toUpperCase(), s.fraction(), [percent(s.fraction()), dataEta, postData, ...sideFields(s), elapsed], width));
  }
  const inFlight = [...(d?.tables.values() ?? []), ...(l?.tables.values() ?? [])];
  const room = Math.max(1, rows - 2);
  for (const t of inFlight.slice(0, room)) lines.push(tableLine(t, now, width));
  if (inFlight.length > room) lines.push(`  … and ${inFlight.length - room} more tables in flight`.slice(0, width - 1));
  return lines;
}

/** The line printed every few seconds when stderr is not a terminal. */
export function plainLine(m: ProgressModel): string {
  const d = m.sides.get('dump');
  const l = m.sides.get('load');
  const left = m.secondsLeft();
  const etaText = left === undefined ? '' : `, about ${formatDuration(left)} left${l ? ' for the data' : ''}`;
  const side = (s: Side) => `${s.name === 'dump' ? 'dumped' : 'loaded'} ${sizes(s.kept + s.done, s.total, s.exact)} (${Math.floor(100 * s.fraction())}%), ${s.tablesDone}/${s.tablesTotal} tables${s.rate() ? `, ${((s.rate() ?? 0) / 1e6).toFixed(1)} MB/s` : ''}`;
  const parts = [d, l].filter((s): s is Side => s !== undefined && s.started).map(side);
  return `${m.what}: ${parts.join('; ') || 'starting'} in ${formatDuration((m.now() - m.startedAt) / 1000)}${etaText}`;
}
