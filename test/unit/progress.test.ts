import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Progress, progressMode } from '../../src/cli/progress.js';
import { ProgressModel } from '../../src/cli/progress-model.js';
import { fitLine, formatDuration, plainLine, renderFrame } from '../../src/cli/progress-render.js';

const MB = 1_000_000;
function clock() {
  let t = 0;
  return { now: () => t, tick: (seconds: number) => { t += seconds * 1000; } };
}
// eslint-disable-next-line no-control-regex
const ESC = /\x1b\[[0-9;?]*[A-Za-z]/g;

describe('progress figures', () => {
  it('a finished table leaves the frame, and the run\'s total becomes what was really written', () => {
    const c = clock();
    const m = new ProgressModel('dump', c.now);
    const d = m.side('dump');
    d.start([{ table: 'big', bytes: 100 * MB, exact: false }, { table: 'small', bytes: 10 * MB, exact: false }]);
    d.tableStart('big');
    d.tableStart('small');
    c.tick(2);
    d.advance('small', 4 * MB, 1000);
    d.tableDone('small');
    const frame = renderFrame(m, 120);
    assert.equal(frame.length, 2, frame.join('\n'));
    assert.ok(!frame.some((l) => l.includes('small')), 'the finished table is gone');
    assert.match(frame[0] ?? '', /1\/2 tables/);
    assert.equal(d.total, 104 * MB, 'small counts its 4 MB, not its 10 MB estimate');
    d.advance('big', 130 * MB, 5000);
    assert.ok(d.fraction() < 1, 'past an estimate it does not claim to be done');
    assert.match(renderFrame(m, 80)[0] ?? '', / 99% ETA \?/);
    d.tableDone('big');
    assert.equal(d.fraction(), 1);
    assert.equal(d.total, 134 * MB);
    assert.match(renderFrame(m, 80)[0] ?? '', /100%.*128\.\d+ MiB\/127\.\d+ MiB|100%/);
    assert.ok(d.exact, 'every table done: the total is exact');
    assert.doesNotMatch(renderFrame(m, 80)[0] ?? '', /~/);
  });

  it('at 80 columns every line fits and the ETA is never the part cut off', () => {
    const c = clock();
    const m = new ProgressModel('dump', c.now);
    const d = m.side('dump');
    const name = 'a_schema_with_a_long_name.a_table_with_an_even_longer_name';
    d.start([{ table: name, bytes: 1000 * MB, exact: false }]);
    d.tableStart(name);
    c.tick(10);
    d.advance(name, 100 * MB, 123456);
    for (const width of [80, 60, 40]) {
      const frame = renderFrame(m, width);
      for (const l of frame) assert.ok(l.length <= width - 1, `${l.length} > ${width - 1}: ${l}`);
      for (const l of frame) assert.match(l, /ETA 1m30s/, `width ${width}: ${l}`);
    }
    assert.match(renderFrame(m, 80)[1] ?? '', /^ {2}…h_an_even_longer_name \[#+\.+\] +10% ETA 1m30s 95\.4 MiB\/~953\.7 MiB$/, 'a long name is shortened from the left; a bar and the sizes fit');
    assert.equal(formatDuration(75), '1m15s');
    assert.equal(formatDuration(4000), '1h06m');
    assert.equal(fitLine('x', undefined, ['a', 'b'], 80), `x${' '.repeat(23)} a b`, 'no fraction, no bar');
  });

  it('a resumed run counts what it kept as done but not in its rate', () => {
    const c = clock();
    const m = new ProgressModel('dump', c.now);
    const d = m.side('dump');
    d.start([{ table: 'kept', bytes: 900 * MB, exact: true, kept: 900 * MB, done: true }, { table: 'rest', bytes: 100 * MB, exact: false }]);
    d.tableStart('rest');
    c.tick(10);
    d.advance('rest', 10 * MB);
    // 1 MB/s this run, 90 MB left: 90 s (the old display divided by the time since the first run).
    assert.equal(Math.round(d.secondsLeft() ?? -1), 90);
    assert.match(renderFrame(m, 80)[0] ?? '', /91% ETA 1m30s/);
    assert.match(renderFrame(m, 120)[0] ?? '', /1\/2 tables/);
  });

  it('a migrate shows each side against the same total, not their sum, and the slower side\'s ETA', () => {
    const c = clock();
    const m = new ProgressModel('migrate', c.now);
    const d = m.side('dump');
    const l = m.side('load');
    const tables = [{ table: 't', bytes: 100 * MB, exact: false }];
    d.start(tables);
    l.start(tables);
    d.tableStart('t');
    l.tableStart('t');
    c.tick(10);
    d.advance('t', 50 * MB, 500);
    l.advance('t', 20 * MB);
    const line = renderFrame(m, 100)[0] ?? '';
    assert.match(line, /dumped 50% loaded 20% data ETA 40s/, line);
    assert.match(plainLine(m), /dumped 47\.\d+ MiB\/~95\.\d+ MiB \(50%\).*loaded 19\.\d+ MiB\/~95\.\d+ MiB \(20%\)/);
    // The load has 80 MB left at 2 MB/s: 40 s, though the dump will be done in 10 s.
    assert.equal(Math.round(m.secondsLeft() ?? -1), 40);
  });

  it('a load shows rows once chunks are committed, and says the ETA is the data\'s', () => {
    const c = clock();
    const m = new ProgressModel('load', c.now);
    const l = m.side('load');
    l.start([{ table: 't', bytes: 10 * MB, exact: true }]);
    l.tableStart('t');
    c.tick(2);
    l.advance('t', 2 * MB);
    assert.doesNotMatch(renderFrame(m, 120).join('\n'), /\b0 rows/);
    assert.match(renderFrame(m, 120)[0] ?? '', /data ETA 8s/);
    l.addRows('t', 5000);
    assert.match(renderFrame(m, 120)[1] ?? '', /5000 rows/);
    l.advance('t', 8 * MB);
    l.tableDone('t');
    m.postDataTotal = 5;
    m.postDataSteps = 3;
    assert.match(renderFrame(m, 120)[0] ?? '', /100% indexes and keys 3\/5/);
  });
});

describe('progress on a terminal, in plain lines and as JSON', () => {
  function fakeIo(isTTY: boolean) {
    let err = '';
    let out = '';
    const errStream = { isTTY, columns: 80, rows: 24 } as unknown as NodeJS.WriteStream;
    return { io: { out: (t: string) => { out += t; }, err: (t: string) => { err += t; }, errStream }, text: () => ({ err, out }) };
  }

  it('TERM=dumb, or no terminal, gets plain lines; a terminal gets the frame', () => {
    assert.equal(progressMode({}, fakeIo(true).io, { TERM: 'xterm-256color' }), 'tty');
    assert.equal(progressMode({}, fakeIo(true).io, { TERM: 'dumb' }), 'plain');
    assert.equal(progressMode({}, fakeIo(false).io, { TERM: 'xterm' }), 'plain');
    const c = clock();
    const f = fakeIo(false);
    const p = new Progress(f.io, 'plain', 'dump', { now: c.now, everyMs: 5000 });
    p.model.side('dump').start([{ table: 't', bytes: 10 * MB, exact: false }]);
    p.model.side('dump').tableStart('t');
    c.tick(6);
    p.model.side('dump').advance('t', 3 * MB);
    p.update();
    p.event({ type: 'x' }, 'dumped t');
    p.stop();
    assert.match(f.text().err, /^dump: dumped 2\.86 MiB\/~9\.54 MiB \(30%\), 0\/1 tables, 0\.5 MB\/s in 6s, about 14s left\ndumped t\n$/);
    assert.doesNotMatch(f.text().err, ESC);
  });

  it('log lines go above the frame, which is erased first and drawn again below them', () => {
    const c = clock();
    const f = fakeIo(true);
    const p = new Progress(f.io, 'tty', 'dump', { now: c.now, width: 80, height: 24, frameMs: 60_000 });
    p.model.side('dump').start([{ table: 't', bytes: 10 * MB, exact: false }, { table: 'u', bytes: MB, exact: false }]);
    p.model.side('dump').tableStart('t');
    p.event({}, 'first');
    p.event({}, 'second');
    p.stop();
    const err = f.text().err;
    // The frame (2 lines) is erased before the second log line: cursor up 2, clear to the end.
    assert.ok(err.includes('\r\x1b[2A\x1b[Jsecond\n'), JSON.stringify(err));
    assert.ok(err.endsWith('\x1b[?25h'), 'the cursor is shown again');
    const screen = err.split('\x1b[J').at(-1)?.replace(ESC, '') ?? '';
    assert.match(screen, /^DUMP/);
  });

  it('--json sends a versioned progress event every few seconds', () => {
    const c = clock();
    const f = fakeIo(false);
    const p = new Progress(f.io, 'json', 'load', { now: c.now, everyMs: 1000 });
    p.model.side('load').start([{ table: 't', bytes: 4 * MB, exact: true }]);
    p.model.side('load').tableStart('t');
    c.tick(2);
    p.model.side('load').advance('t', MB);
    p.update();
    const events = f.text().out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(events.length, 1);
    assert.equal(events[0]?.v, 1);
    assert.equal(events[0]?.type, 'progress');
    assert.deepEqual(events[0]?.load, { bytesDone: MB, bytesTotal: 4 * MB, totalExact: true, rows: 0, tablesDone: 0, tablesTotal: 1, bytesPerSecond: 500000, inFlight: ['t'] });
    assert.equal(events[0]?.dataSecondsLeft, 6);
  });
});
