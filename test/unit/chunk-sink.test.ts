import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileOut } from '../../src/dump/chunk-sink.js';
import { OpenFile } from '../../src/files/open-file.js';

const MiB = 1 << 20;

/** A file that records what is done to it; each fdatasync waits until the test settles it. */
function recordingFile() {
  const calls: string[] = [];
  const pending: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  let bytes = 0;
  return {
    calls, pending, written: () => bytes,
    file: {
      writeAll: (buffers: readonly Buffer[]) => { bytes += buffers.reduce((n, b) => n + b.length, 0); calls.push('write'); },
      syncData: () => new Promise<void>((resolve, reject) => { calls.push('syncData'); pending.push({ resolve, reject }); }),
      close: () => { calls.push('close'); },
    },
  };
}

const settledYet = async (p: Promise<unknown>): Promise<boolean> => {
  let done = false;
  p.then(() => { done = true; }, () => { done = true; });
  await new Promise((r) => setImmediate(r));
  return done;
};

describe('fileOut', () => {
  it('sends the data to disk early, one fdatasync at a time, and its flush waits for the one under way', async () => {
    const f = recordingFile();
    const out = fileOut(f.file, 2 * MiB);
    await out.write([Buffer.alloc(MiB)]);
    assert.deepEqual(f.calls, ['write'], 'below the threshold: no fdatasync');
    await out.write([Buffer.alloc(MiB)]);
    assert.deepEqual(f.calls, ['write', 'write', 'syncData'], 'at 2 MiB written: one fdatasync starts');
    await out.write([Buffer.alloc(2 * MiB)]);
    assert.equal(f.calls.filter((c) => c === 'syncData').length, 1, 'none starts while one is under way');
    const flushed = out.flush?.() as Promise<void>;
    assert.equal(await settledYet(flushed), false, 'flush waits for the fdatasync under way');
    f.pending[0]?.resolve();
    await flushed;
    assert.equal(f.written(), 4 * MiB);
  });

  it('fails the chunk when an early fdatasync failed, though later writes succeeded', async () => {
    const f = recordingFile();
    const out = fileOut(f.file, MiB);
    await out.write([Buffer.alloc(MiB)]);
    f.pending[0]?.reject(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    await out.write([Buffer.alloc(MiB)]);
    await assert.rejects(out.flush?.() as Promise<void>, /EIO/);
  });

  it('closes a given-up file only once no fdatasync of it is under way', async () => {
    const f = recordingFile();
    const out = fileOut(f.file, MiB);
    await out.write([Buffer.alloc(MiB)]);
    const aborted = out.abort();
    assert.equal(await settledYet(aborted), false);
    assert.ok(!f.calls.includes('close'), 'not closed while its fdatasync runs');
    f.pending[0]?.resolve();
    await aborted;
    assert.equal(f.calls.at(-1), 'close');
  });

  it('writes every byte of a real file in order, with fdatasyncs on the way', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pgmy-sink-'));
    try {
      const path = join(dir, 'chunk');
      const file = OpenFile.create(path);
      const out = fileOut(file, MiB);
      const pieces = Array.from({ length: 40 }, (_, i) => Buffer.alloc(100_000, 65 + (i % 26)));
      for (const p of pieces) await out.write([p]);
      await out.flush?.();
      await file.sync();
      file.close();
      assert.deepEqual(await readFile(path), Buffer.concat(pieces));
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});
