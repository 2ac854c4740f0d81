import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, it } from 'node:test';
import { ChunkWriter } from '../../src/dump/chunk-writer.js';
import { withRows } from '../../src/tsv/row-counts.js';

/** `counted`: each piece says how many rows end in it, as the COPY parser's buffers do. */
async function writeRows(rows: string[], chunkSize: number, pieceSize: number, counted = false) {
  const dir = await mkdtemp(join(tmpdir(), 'pgmy-chunks-'));
  const all = Buffer.from(rows.join(''));
  const pieces: Buffer[] = [];
  for (let i = 0; i < all.length; i += pieceSize) {
    const piece = all.subarray(i, i + pieceSize);
    pieces.push(counted ? withRows(piece, piece.toString().split('\n').length - 1) : piece);
  }
  const reported: string[] = [];
  const writer = new ChunkWriter({
    dir, relDir: 'data/t', chunkSize,
    // A chunk is reported only once it is on disk under its final name.
    onChunk: (c) => { reported.push(c.file); assert.ok(existsSync(join(dir, c.file.slice('data/t/'.length))), `${c.file} exists when reported`); },
  });
  await pipeline(Readable.from(pieces), writer);
  await writer.durable();
  assert.deepEqual(reported, writer.chunks.map((c) => c.file), 'every chunk is reported, in order');
  return { dir, all, writer };
}

describe('ChunkWriter', () => {
  const rows = Array.from({ length: 200 }, (_, i) => `${i}\t${'x'.repeat(i % 37)}\n`);

  for (const [chunkSize, pieceSize, counted] of [[100, 7, false], [1, 1000, false], [64, 1, false], [1 << 20, 13, false], [250, 250, false],
    [100, 7, true], [1, 1000, true], [250, 250, true], [300, 1000, true]] as const) {
    it(`cuts only at row ends (chunk ${chunkSize}, pieces of ${pieceSize}${counted ? ', pieces with their row counts' : ''})`, async () => {
      const { dir, all, writer } = await writeRows(rows, chunkSize, pieceSize, counted);
      try {
        const files = (await readdir(dir)).sort();
        assert.equal(files.length, writer.chunks.length);
        assert.ok(!files.some((f) => f.endsWith('.partial')), 'no temporary file is left');
        const contents = await Promise.all(files.map((f) => readFile(join(dir, f))));
        assert.deepEqual(Buffer.concat(contents), all, 'the chunks hold every byte, in order');
        let total = 0;
        for (const [i, c] of contents.entries()) {
          const rec = writer.chunks[i];
          assert.ok(rec);
          assert.equal(c[c.length - 1], 0x0a, 'every chunk ends with a newline');
          assert.equal(rec.bytes, c.length);
          assert.equal(rec.rows, c.toString().split('\n').length - 1);
          assert.equal(rec.sha256, createHash('sha256').update(c).digest('hex'));
          assert.equal(rec.file, `data/t/${files[i]}`);
          if (i < contents.length - 1) assert.ok(rec.bytes >= chunkSize, 'only the last chunk is smaller than the chunk size');
          total += rec.rows;
        }
        assert.equal(total, rows.length);
      } finally {
        await rm(dir, { recursive: true });
      }
    });
  }

  it('writes no file for an empty table', async () => {
    const { dir, writer } = await writeRows([], 100, 10);
    assert.deepEqual(await readdir(dir), []);
    assert.equal(writer.chunks.length, 0);
    await rm(dir, { recursive: true });
  });

  it('fails when the stream ends inside a row', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pgmy-chunks-'));
    await assert.rejects(pipeline(Readable.from([Buffer.from('1\tx\n2\ty')]), new ChunkWriter({ dir, relDir: 'data/t', chunkSize: 1000 })), /middle of a row/);
    await rm(dir, { recursive: true });
  });
});
