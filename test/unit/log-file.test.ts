import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { logFileArg, withLogFile } from '../../src/cli/log-file.js';
import { Progress } from '../../src/cli/progress.js';

describe('--log-file', () => {
  it('is read from the arguments in both spellings', () => {
    assert.equal(logFileArg(['dump', '--log-file', '/x/y.log', '--out', 'd']), '/x/y.log');
    assert.equal(logFileArg(['--log-file=/z.log', 'load']), '/z.log');
    assert.equal(logFileArg(['dump']), undefined);
  });

  it('copies each line with its UTC time, leaves terminal frames out, and takes the frame\'s lines as plain ones', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pgmy-log-')), 'run.log');
    let shown = '';
    const stamps = ['2026-12-02T10:00:00.000Z', '2026-12-02T10:00:01.000Z', '2026-12-02T10:00:02.000Z', '2026-12-02T10:00:03.000Z'];
    let i = 0;
    const io = withLogFile({ out: (t) => { shown += t; }, err: (t) => { shown += t; } }, path, () => new Date(stamps[Math.min(i++, stamps.length - 1)] ?? ''));
    io.out('table  rows\nt      3\n');
    io.err('\x1b[2A\x1b[Jframe line\n');
    let t = 0;
    const p = new Progress(io, 'tty', 'dump', { now: () => t, everyMs: 1000, frameMs: 60_000, width: 80 });
    p.model.side('dump').start([{ table: 't', bytes: 1000, exact: false }]);
    p.event({}, 'dumped t: 3 rows');
    t = 2000;
    p.model.side('dump').advance('t', 500);
    p.update();
    p.stop();
    const log = readFileSync(path, 'utf8');
    assert.equal(log, [
      '2026-12-02T10:00:00.000Z table  rows', '2026-12-02T10:00:00.000Z t      3',
      '2026-12-02T10:00:01.000Z dumped t: 3 rows',
      '2026-12-02T10:00:02.000Z dump: dumped 500 B/~1000 B (50%), 0/1 tables, 0.0 MB/s in 2s, about 2s left', '',
    ].join('\n'));
    assert.match(shown, /frame line/, 'the terminal still gets everything');
  });
});
