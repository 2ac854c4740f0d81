import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { dump } from '../../src/dump/dump.js';
import { scratchPg, type ScratchPg } from '../helpers/servers.js';

let src: ScratchPg;
let tmp: string;

before(async () => {
  src = await scratchPg('order');
  // shuffled: a heap in no particular key order (as after years of updates); appended: a heap in key order.
  await src.query(`CREATE TABLE shuffled (id int PRIMARY KEY, v text);
    INSERT INTO shuffled SELECT g, 'v' || g FROM generate_series(1, 20000) g ORDER BY md5(g::text);
    CREATE TABLE appended (id int PRIMARY KEY, v text);
    INSERT INTO appended SELECT g, 'v' || g FROM generate_series(1, 20000) g;
    CREATE TABLE nokey (v text);
    INSERT INTO nokey SELECT 'v' || g FROM generate_series(1, 100) g;
    ANALYZE shuffled; ANALYZE appended; ANALYZE nokey;`);
  tmp = await mkdtemp(join(tmpdir(), 'pgmy-order-'));
});

after(async () => {
  await src?.drop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** The first column of every line of a table's chunks, in file order (parts in order). */
async function ids(out: string, files: readonly string[]): Promise<number[]> {
  const all: number[] = [];
  for (const f of files) for (const line of (await readFile(join(out, f), 'utf8')).split('\n')) if (line) all.push(Number(line.split('\t')[0]));
  return all;
}

test('a heap out of key order is dumped ORDER BY the key (InnoDB appends instead of inserting page by page); one in key order, or without a key, as it lies', async () => {
  const out = join(tmp, 'snap');
  const r = await dump({ source: src.url, out, chunkSize: 64 * 1024, jobs: 2 });
  const entry = (name: string) => r.manifest.data.find((d) => d.name === name);
  assert.equal(entry('shuffled')?.order, 'key');
  assert.equal(entry('appended')?.order, 'heap', 'statistics show the heap in key order already');
  assert.equal(entry('nokey')?.order, 'heap');

  const shuffled = entry('shuffled');
  assert.ok((shuffled?.parts?.length ?? 0) >= 2, 'shuffled is dumped in key-range parts');
  const got = await ids(out, shuffled?.chunks.map((c) => c.file) ?? []);
  assert.equal(got.length, 20000);
  assert.deepEqual(got, [...got].sort((a, b) => a - b), 'every chunk, and the parts one after another, in key order');
  const heapOrder = (await src.query<{ id: number }>('SELECT id FROM shuffled LIMIT 5')).rows.map((x) => x.id);
  assert.notDeepEqual(heapOrder, [1, 2, 3, 4, 5], 'the source heap really is out of order');
});
