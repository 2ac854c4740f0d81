import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, scratchMy, scratchPg, type ScratchMy, type ScratchPg } from '../helpers/servers.js';

const BIN = resolve(import.meta.dirname, '../../../bin/pgmy.js');

/** Runs the CLI on a pseudo-terminal (util-linux `script`), 160 columns wide; returns all it drew. */
function onTerminal(args: string[]): Promise<{ code: number; screen: string }> {
  const command = `stty cols 160 rows 40; exec node ${BIN} ${args.map((a) => `'${a}'`).join(' ')}`;
  return new Promise((done) => {
    execFile('script', ['-qec', command, '/dev/null'], { maxBuffer: 64 << 20 }, (err, stdout) => {
      done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, screen: stdout });
    });
  });
}

/** The frames of a bar named `name`, as text without escape sequences. */
function frames(screen: string, name: string): string[] {
  // eslint-disable-next-line no-control-regex
  const plain = screen.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '\n');
  return plain.split(/[\r\n]+/).filter((l) => new RegExp(`^${name}\\s+\\|`).test(l));
}

let src: ScratchPg;
let dst: ScratchMy;
let dir: string;

before(async () => {
  src = await scratchPg('progress');
  await src.query(`CREATE TABLE big (id bigint PRIMARY KEY, label text, amount numeric(12,2))`);
  await src.query(`INSERT INTO big SELECT g, repeat(md5(g::text), 3), g / 7.0 FROM generate_series(1, 1000000) g`);
  await src.query(`CREATE TABLE small (id int PRIMARY KEY, note text)`);
  await src.query(`INSERT INTO small SELECT g, 'n' || g FROM generate_series(1, 1000) g`);
  await src.query('ANALYZE');
  dst = await scratchMy('progress');
  dir = await mkdtemp(join(tmpdir(), 'pgmy-progress-'));
});

after(async () => {
  await src.drop();
  await dst.drop();
  await rm(dir, { recursive: true, force: true });
});

test('on a terminal, dump and load draw live bars for the run and for each table in flight', async () => {
  const d = await onTerminal(['dump', '--source', src.url, '--out', join(dir, 'tty'), '--jobs', '1', '--chunk-size', '4MiB']);
  assert.equal(d.code, 0, d.screen);
  const total = frames(d.screen, 'DUMP');
  const big = frames(d.screen, 'big');
  assert.ok(total.length >= 2, `expected several frames of the run's bar, saw:\n${d.screen.slice(0, 2000)}`);
  assert.ok(big.length >= 1, 'a bar for the table being dumped');
  for (const f of [...total, ...big]) assert.match(f, /\| +\d+% [\d.]+ (B|KiB|MiB|GiB) of ~[\d.]+ (B|KiB|MiB|GiB), \d+ rows, [\d.]+ MB\/s, \d+ rows\/s, ETA/);
  const percents = total.map((f) => Number(/(\d+)%/.exec(f)?.[1]));
  assert.ok(percents.some((p) => p < 100), `a frame drawn while the dump ran: ${percents.join(',')}`);
  assert.equal(percents.at(-1), 100, 'the last frame shows the whole run done');
  assert.match(frames(d.screen, 'DUMP').at(-1) ?? '', /1001000 rows/);
  assert.match(d.screen, /dumped big: 1000000 rows/, 'finished tables are logged above the bars');
  assert.match(d.screen, /table\s+rows\s+bytes\s+chunks\s+seconds/, 'the summary table follows the bars');

  const l = await onTerminal(['load', '--target', dst.url, join(dir, 'tty'), '--jobs', '2']);
  assert.equal(l.code, 0, l.screen);
  const loadFrames = frames(l.screen, 'LOAD');
  assert.ok(loadFrames.length >= 1, `the load draws its bar:\n${l.screen.slice(0, 2000)}`);
  assert.equal(Number(/(\d+)%/.exec(loadFrames.at(-1) ?? '')?.[1]), 100);
  assert.match(l.screen, /loaded big/);
});

test('when stderr is not a terminal there are plain lines and no escape sequences', async () => {
  const d = await cli('dump', '--source', src.url, '--out', join(dir, 'plain'), '--jobs', '1');
  assert.equal(d.code, 0, d.err);
  assert.match(d.err, /dumped big: 1000000 rows/);
  assert.doesNotMatch(d.err + d.out, /\x1b/); // eslint-disable-line no-control-regex
});
