import assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { pump } from '../../src/dump/copy-pump.js';
import { CopyEscapes } from '../../src/tsv/copy-escape.js';

/** A writer that takes `delayMs` for each write, keeping what it was given. */
function slowSink(delayMs: number, highWaterMark: number, failAt?: number) {
  const got: Buffer[] = [];
  const sink = new Writable({
    highWaterMark,
    write(chunk: Buffer, _enc, done) {
      if (failAt !== undefined && got.length === failAt) return done(Object.assign(new Error('no space left'), { code: 'ENOSPC' }));
      got.push(chunk);
      setTimeout(done, delayMs);
    },
  });
  return { sink, got };
}

describe('pump (the COPY stream into the chunk writer)', { timeout: 20_000 }, () => {
  it('passes every byte, rewrites \\f and \\v, also across buffers, and the held-back backslash at the end', async () => {
    const pieces = ['1\ta\\fb\\', 'vc\n2\t\\\\x\\', 'N\n3\tend\\'].map((s) => Buffer.from(s));
    const { sink, got } = slowSink(0, 1 << 20);
    await pump(Readable.from(pieces), new CopyEscapes(), sink);
    assert.equal(Buffer.concat(got).toString('latin1'), '1\ta\fb\vc\n2\t\\\\x\\N\n3\tend\\');
  });

  it('pauses the COPY while the writer is full (at most a writer\'s worth is taken ahead)', async () => {
    let produced = 0;
    let maxAhead = 0;
    const { sink, got } = slowSink(2, 64);
    const source = new Readable({
      highWaterMark: 64,
      read() {
        if (produced === 200) return void this.push(null);
        produced++;
        this.push(Buffer.alloc(32, 0x61));
      },
    });
    source.on('data', () => { maxAhead = Math.max(maxAhead, produced - got.length); });
    await pump(source, new CopyEscapes(), sink);
    assert.equal(got.length, 200);
    assert.ok(maxAhead <= 8, `the source ran ${maxAhead} buffers ahead of a writer that holds two`);
  });

  it('a failing writer rejects with its error and stops the COPY', async () => {
    const { sink } = slowSink(0, 64, 3);
    let rows = 0;
    const source = new Readable({ highWaterMark: 16, read() { this.push(rows++ < 1000 ? Buffer.from('row\n') : null); } });
    await assert.rejects(pump(source, new CopyEscapes(), sink), { code: 'ENOSPC' });
    assert.ok(source.destroyed, 'the COPY stream is destroyed');
    assert.ok(rows < 100, `the COPY was stopped (${rows} rows read)`);
  });

  it('a failing COPY rejects with its error and destroys the writer', async () => {
    const { sink } = slowSink(0, 64);
    const source = new Readable({ read() { this.destroy(new Error('terminating connection due to administrator command')); } });
    await assert.rejects(pump(source, new CopyEscapes(), sink), /administrator command/);
    assert.ok(sink.destroyed, 'the writer is destroyed (its partial chunk is given up)');
  });

  it('a COPY that closes before its end is an error, not a short table', { timeout: 10_000 }, async () => {
    const { sink } = slowSink(0, 64);
    let reads = 0;
    // One row, then the stream is destroyed without an end (a connection cut under the COPY).
    const source = new Readable({ read() { if (reads++ === 0) this.push(Buffer.from('1\n')); else this.destroy(); } });
    await assert.rejects(pump(source, new CopyEscapes(), sink), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
  });
});
