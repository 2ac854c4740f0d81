import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium, type Browser } from 'playwright-core';
import { cli, scratchMy, scratchPg, type ScratchMy, type ScratchPg } from '../helpers/servers.js';

const CHROMIUM = process.env.PGMY_TEST_CHROMIUM ?? '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `Chromium is not installed at ${CHROMIUM} (scripts/test-deps.sh installs Debian's chromium)`;

let src: ScratchPg;
let dst: ScratchMy;
let dir: string;
let browser: Browser | undefined;

before(async () => {
  src = await scratchPg('html');
  await src.query(`CREATE TABLE big (id bigint PRIMARY KEY, label text, amount numeric(12,2), at timestamptz)`);
  await src.query(`INSERT INTO big SELECT g, repeat(md5(g::text), 4), g / 7.0, now() FROM generate_series(1, 400000) g`);
  await src.query(`CREATE TABLE small (id int PRIMARY KEY, note text)`);
  await src.query(`INSERT INTO small SELECT g, 'note <b>' || g FROM generate_series(1, 500) g`);
  await src.query(`CREATE INDEX small_lower ON small (lower(note))`);
  await src.query(`CREATE VIEW big_view AS SELECT id FROM big`);
  await src.query('ANALYZE');
  dst = await scratchMy('html');
  dir = await mkdtemp(join(tmpdir(), 'pgmy-html-'));
  if (!skip) {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }
});

after(async () => {
  await browser?.close();
  await src.drop();
  await dst.drop();
  await rm(dir, { recursive: true, force: true });
});

interface BarBox { table: string; phase: string; start: number; seconds: number; x: number; width: number }

test('report.html, opened in headless Chromium, shows the per-table timing chart, the tables, warnings and type decisions', { skip }, async () => {
  const out = join(dir, 'snap');
  const m = await cli('migrate', '--source', src.url, '--target', dst.url, '--out', out, '--jobs', '1', '--quiet');
  assert.equal(m.code, 0, m.err);
  const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as {
    dump: { tables: Array<{ target: string; seconds: number; startSecond: number }> };
    load: { tables: Array<{ table: string; seconds: number; startSecond: number }> };
  };

  const page = await (browser as Browser).newPage({ viewport: { width: 1200, height: 900 } });
  await page.goto(pathToFileURL(join(out, 'report.html')).href);
  assert.match(await page.title(), new RegExp(src.name));
  // The heading names the server the load went to, as it is (MariaDB here), and its database.
  assert.equal(await page.$eval('h1', (h) => h.textContent), `pgmy report: ${src.name} → MariaDB ${dst.name}`);

  // The chart: one bar per table and phase, drawn where its numbers say.
  const bars: BarBox[] = await page.$$eval('#timeline-chart rect.bar', (rects) => rects.map((r) => {
    const box = r.getBoundingClientRect();
    return {
      table: r.getAttribute('data-table') ?? '', phase: r.getAttribute('data-phase') ?? '',
      start: Number(r.getAttribute('data-start')), seconds: Number(r.getAttribute('data-seconds')), x: box.x, width: box.width,
    };
  }));
  assert.deepEqual(bars.map((b) => `${b.phase}:${b.table}`).sort(), ['dump:big', 'dump:small', 'load:big', 'load:small']);
  for (const phase of ['dump', 'load'] as const) {
    const recorded = phase === 'dump'
      ? report.dump.tables.map((t) => ({ table: t.target, seconds: t.seconds, start: t.startSecond }))
      : report.load.tables.map((t) => ({ table: t.table, seconds: t.seconds, start: t.startSecond }));
    const drawn = bars.filter((b) => b.phase === phase);
    for (const r of recorded) {
      const b = drawn.find((d) => d.table === r.table);
      assert.ok(b && Math.abs(b.seconds - r.seconds) < 0.001 && Math.abs(b.start - r.start) < 0.001, `${phase} ${r.table}: the chart carries report.json's numbers`);
    }
    const big = drawn.find((b) => b.table === 'big') as BarBox;
    const small = drawn.find((b) => b.table === 'small') as BarBox;
    const pxPerSecond = big.width / big.seconds;
    assert.ok(big.width > 50, `${phase}: the biggest table's bar is drawn wide (${big.width}px)`);
    assert.ok(Math.abs(small.width - Math.max(1, small.seconds * pxPerSecond)) < 1.5, `${phase}: bar widths are proportional to the seconds`);
    assert.ok(Math.abs((small.x - big.x) - (small.start - big.start) * pxPerSecond) < 1.5, `${phase}: bars start where their tables started`);
  }

  // The summary table, warnings and type decisions, as a person sees them.
  const rows = await page.$$eval('#tables tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
  assert.deepEqual(rows.map((r) => [r[0], r[1], r[3]]), [['big', '400000', String(rows[0]?.[3])], ['small', '500', '1']]);
  const warnings = await page.locator('#warnings').innerText();
  assert.match(warnings, /view public\.big_view is not carried/);
  assert.match(warnings, /small_lower.*expression/s);
  const amount = await page.locator('#types details[data-table="big"] tr', { hasText: 'amount' }).innerText();
  assert.match(amount, /numeric\(12,2\)\s+DECIMAL\(12,2\)/);
  assert.equal(await page.locator('#types details').count(), 2);
  assert.ok(await page.locator('#facts').innerText().then((t) => /dump complete\s+yes/.test(t)));

  const png = join(out, 'report.png');
  await page.screenshot({ path: png, fullPage: true });
  assert.ok((await stat(png)).size > 10_000, 'the page renders to a real picture');
  await page.close();
});
