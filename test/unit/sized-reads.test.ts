import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openStore } from '../../src/files/stores.js';
import { openVerified } from '../../src/load/verified-stream.js';
import type { Readable } from 'node:stream';

const all = async (r: Readable): Promise<{ bytes: Buffer; reads: number[] }> => {
  const parts: Buffer[] = [];
  for await (const b of r) parts.push(b as Buffer);
  return { bytes: Buffer.concat(parts), reads: parts.map((p) => p.length) };
};

describe('chunk files are read in reads sized to what the manifest records, and still whole', () => {
  let dir: string;
  const body = Buffer.from('1\ta\n2\tb\n'.repeat(2500));
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pgmy-sized-'));
    await writeFile(join(dir, 'c.tsv'), body);
  });
  after(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

  it('a file of the recorded size comes in one read; one larger than recorded is still read to its end', async () => {
    const store = await openStore(dir);
    const exact = await all(store.openRead('c.tsv', body.length));
    assert.deepEqual(exact.reads, [body.length]);
    assert.ok(exact.bytes.equals(body));
    const under = await all(store.openRead('c.tsv', 100));
    assert.ok(under.bytes.equals(body), 'a smaller expected size only makes the reads smaller');
    assert.ok(under.reads.length > 1);
  });

  it('a chunk that grew after the dump is refused by its recorded size, not cut to it', async () => {
    const grown = join(dir, 'g.tsv');
    await writeFile(grown, body);
    await appendFile(grown, '3\tc\n');
    const store = await openStore(dir);
    const sha256 = createHash('sha256').update(body).digest('hex');
    const opened = openVerified(store, { file: 'g.tsv', rows: 5000, bytes: body.length, sha256 });
    await assert.rejects(all(opened.stream), /is damaged: it is longer than the \d+ bytes recorded/);
  });
});
