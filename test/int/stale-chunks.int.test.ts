import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { load, type LoadEvent } from '../../src/load/load.js';
import { cli, scratchMy, scratchPg, type ScratchMy, type ScratchPg } from '../helpers/servers.js';

let src: ScratchPg;
let my: ScratchMy;
let dir: string;

before(async () => {
  src = await scratchPg('stale');
  await src.query(`CREATE TABLE t (id int PRIMARY KEY, v text)`);
  await src.query(`INSERT INTO t SELECT g, 'first ' || g FROM generate_series(1, 20000) g`);
  // u's rows are wider than a chunk, so its chunks are the biggest and are loaded first.
  await src.query(`CREATE TABLE u (id int PRIMARY KEY, w text)`);
  await src.query(`INSERT INTO u SELECT g, repeat('w', 100000) FROM generate_series(1, 10) g`);
  my = await scratchMy('stale');
  dir = await mkdtemp(join(tmpdir(), 'pgmy-stale-'));
});

after(async () => {
  await src.drop();
  await my.drop();
  await rm(dir, { recursive: true, force: true });
});

test('a table dumped again after part of it was loaded is emptied and loaded whole; other tables keep their chunks', async () => {
  const out = join(dir, 'snap');
  assert.equal((await cli('dump', '--source', src.url, '--out', out, '--chunk-size', '64k', '--jobs', '1', '--quiet')).code, 0);

  // Load part of t (and all of u), then stop: the journal now holds some of t's chunks.
  let tChunks = 0;
  let uChunks = 0;
  await assert.rejects(load({
    target: my.url, dir: out, jobs: 1,
    onEvent: (e: LoadEvent) => {
      if (e.type === 'chunk-done' && e.table === 'u') uChunks++;
      if (e.type === 'chunk-done' && e.table === 't' && ++tChunks === 3) throw new Error('stop here');
    },
  }), /stop here/);
  assert.equal(uChunks, 10, 'all of u was loaded before the stop');
  const partial = await my.query<{ n: number }>('SELECT COUNT(*) AS n FROM t');
  assert.ok(Number(partial[0]?.n) > 0 && Number(partial[0]?.n) < 20000, `part of t is loaded (${partial[0]?.n})`);

  // The source changes and t is dumped again into the same folder (as a resumed dump would redo it).
  await src.query(`UPDATE t SET v = 'second ' || id`);
  const path = join(out, 'manifest.json');
  const m = JSON.parse(await readFile(path, 'utf8')) as { complete: boolean; completedAt?: string; data: Array<{ name: string; complete: boolean; rows: number; bytes: number; chunks: unknown[]; split?: unknown; parts?: unknown }> };
  m.complete = false;
  delete m.completedAt;
  for (const d of m.data) {
    if (d.name !== 't') continue;
    Object.assign(d, { complete: false, rows: 0, bytes: 0, chunks: [] });
    delete d.split;
    delete d.parts;
  }
  await writeFile(path, JSON.stringify(m));
  assert.equal((await cli('dump', '--source', src.url, '--out', out, '--chunk-size', '64k', '--jobs', '1', '--quiet')).code, 0);

  const events: LoadEvent[] = [];
  await load({ target: my.url, dir: out, jobs: 2, onEvent: (e) => events.push(e) });
  assert.deepEqual(events.filter((e) => e.type === 'reset').map((e) => (e as { table: string }).table), ['t']);
  assert.ok(!events.some((e) => e.type === 'chunk-done' && e.table === 'u'), 'u was loaded before and is not loaded again');
  const rows = await my.query<{ n: number; second: number }>(`SELECT COUNT(*) AS n, SUM(v LIKE 'second %') AS second FROM t`);
  assert.equal(Number(rows[0]?.n), 20000);
  assert.equal(Number(rows[0]?.second), 20000, 'every row comes from the new dump');
  const v = await cli('verify', '--source', src.url, '--target', my.url, out);
  assert.equal(v.code, 0, v.out + v.err);
});
