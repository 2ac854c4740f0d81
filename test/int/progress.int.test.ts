import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
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
  return plain.split(/[\r\n]+/).filter((l) => new RegExp(`^${name}\\s+\\[`).test(l));
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
  await src.query('CREATE VIEW small_view AS SELECT * FROM small');
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
  const logFile = join(dir, 'tty.log');
  const d = await onTerminal(['dump', '--source', src.url, '--out', join(dir, 'tty'), '--jobs', '1', '--chunk-size', '4MiB', '--log-file', logFile]);
  assert.equal(d.code, 0, d.screen);
  // The log file: the same messages with their times, the summary, no piece of the frame.
  const log = await readFile(logFile, 'utf8');
  for (const line of log.trimEnd().split('\n')) assert.match(line, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /, line);
  assert.match(log, /Z dumped big: 1000000 rows/);
  assert.match(log, /Z dump [0-9a-f-]+ complete in /);
  assert.doesNotMatch(log, /\x1b/); // eslint-disable-line no-control-regex
  const total = frames(d.screen, 'DUMP');
  const big = frames(d.screen, '  big');
  assert.ok(total.length >= 2, `expected several frames of the run's line, saw:\n${d.screen.slice(0, 2000)}`);
  assert.ok(big.length >= 1, 'a line for the table being dumped');
  for (const f of [...total, ...big]) assert.match(f, /\[[#.]+\] +\d+%( ETA \S+)? [\d.]+ (B|KiB|MiB|GiB)\/~?[\d.]+ (B|KiB|MiB|GiB)/);
  const percents = total.map((f) => Number(/(\d+)%/.exec(f)?.[1]));
  assert.ok(percents.some((p) => p < 100), `a frame drawn while the dump ran: ${percents.join(',')}`);
  assert.ok(percents.every((p, i) => i === 0 || p >= (percents[i - 1] ?? 0)), `never backwards: ${percents.join(',')}`);
  assert.equal(percents.at(-1), 100, 'the last frame shows the whole run done');
  assert.match(total.at(-1) ?? '', /2\/2 tables 1001k rows/);
  assert.doesNotMatch(total.at(-1) ?? '', /~/, 'done: the sizes are exact');
  assert.match(d.screen, /dumped big: 1000000 rows/, 'finished tables are logged above the bars');
  assert.match(d.screen, /table\s+rows\s+bytes\s+chunks\s+seconds/, 'the summary table follows the bars');

  const l = await onTerminal(['load', '--target', dst.url, join(dir, 'tty'), '--jobs', '2']);
  assert.equal(l.code, 0, l.screen);
  const loadFrames = frames(l.screen, 'LOAD');
  assert.doesNotMatch(l.screen, / 0 rows/, 'no "0 rows" while bytes move');
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

/** Runs the CLI in a real terminal (tmux, 80x24) and returns the screen as tmux shows it, every `everyMs` until it exits. */
async function inTmux(args: string[], everyMs = 300): Promise<{ screens: string[]; final: string }> {
  const { execFileSync } = await import('node:child_process');
  const session = `pgmy${process.pid}`;
  const command = `TERM=xterm-256color node ${BIN} ${args.map((a) => `'${a}'`).join(' ')}; echo EXIT=$?; sleep 30`;
  execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', '80', '-y', '24', command]);
  const screens: string[] = [];
  try {
    for (let i = 0; i < 400; i++) {
      await new Promise((r) => setTimeout(r, everyMs));
      const screen = execFileSync('tmux', ['capture-pane', '-p', '-t', session], { encoding: 'utf8' });
      screens.push(screen);
      if (/EXIT=\d+/.test(screen)) return { screens, final: screen };
    }
    throw new Error(`no exit in tmux; last screen:\n${screens.at(-1)}`);
  } finally {
    execFileSync('tmux', ['kill-session', '-t', session]);
  }
}

test('in a real 80x24 terminal (tmux), migrate\'s lines fit, keep their ETA, and leave no remnants under log lines', async (t) => {
  const { execFileSync } = await import('node:child_process');
  try {
    execFileSync('tmux', ['-V']);
  } catch {
    return t.skip('tmux is not installed');
  }
  const target = await scratchMy('progresstmux');
  try {
    const { screens, final } = await inTmux(['migrate', '--source', src.url, '--target', target.url, '--out', join(dir, 'tmux'), '--jobs', '1', '--chunk-size', '4MiB']);
    assert.match(final, /EXIT=0/, final);
    assert.match(final, /migrate complete/);
    const running = screens.filter((s) => /^MIGRATE/m.test(s) && !/migrate complete/.test(s));
    assert.ok(running.length >= 2, `frames captured while it ran: ${running.length}\n${screens.at(-1)}`);
    for (const screen of screens) {
      for (const line of screen.split('\n')) {
        // A log line never carries a piece of a bar (they are printed after the frame is erased).
        if (/^(dumped|loaded|added|dumping|loading) /.test(line)) assert.doesNotMatch(line, /\[[#.]{4,}|%.*ETA/, line);
        const m = /^MIGRATE .*?(\d+)%/.exec(line);
        if (m && Number(m[1]) < 100 && !/indexes and keys/.test(line)) assert.match(line, /ETA \S+/, `the ETA is kept at 80 columns: ${line}`);
      }
    }
    assert.ok(running.some((s) => /^MIGRATE .*dumped +\d+% loaded +\d+%/m.test(s)), 'both sides shown on the run\'s line');
  } finally {
    await target.drop();
  }
});

test('--json: every line an event of schema v1, warnings as events, and a failure as an error event', async () => {
  const d = await cli('dump', '--source', src.url, '--out', join(dir, 'json'), '--json');
  assert.equal(d.code, 0, d.err);
  const events = d.out.trim().split('\n').map((l) => JSON.parse(l) as { v: number; type: string; command: string; object?: string; message?: string });
  assert.ok(events.every((e) => e.v === 1 && e.command === 'dump' && typeof e.type === 'string'));
  assert.deepEqual([...new Set(events.map((e) => e.type))].sort(), ['chunk', 'done', 'start', 'table-done', 'warning']);
  const warning = events.find((e) => e.type === 'warning');
  assert.equal(warning?.object, 'public.small_view');
  assert.match(warning?.message ?? '', /view public\.small_view is not carried/);
  assert.ok(events.indexOf(warning) < events.findIndex((e) => e.type === 'done'), 'warnings come before done');

  const l = await cli('load', '--target', 'mysql://root@127.0.0.1:1/nowhere', join(dir, 'json'), '--json', '--log-file', join(dir, 'fail.log'));
  assert.match(await readFile(join(dir, 'fail.log'), 'utf8'), /^\S+Z pgmy: Cannot reach MySQL at root@127\.0\.0\.1:1\/nowhere/m, 'the error is in the log file');
  assert.equal(l.code, 1);
  const last = JSON.parse(l.out.trim().split('\n').at(-1) ?? '{}') as { v: number; type: string; code: string; message: string; hint?: string };
  assert.deepEqual([last.v, last.type, last.code], [1, 'error', 'connect']);
  assert.match(last.message, /Cannot reach MySQL at root@127\.0\.0\.1:1\/nowhere/);
  assert.match(last.hint ?? '', /Is MySQL\/MariaDB running/);
});
