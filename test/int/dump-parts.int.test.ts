import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dump } from '../../src/dump/dump.js';
import { load } from '../../src/load/load.js';
import { verify } from '../../src/verify/verify.js';
import { scratchMy, scratchPg, type ScratchPg } from '../helpers/servers.js';

interface Part { complete: boolean; rows: number; bytes: number; chunks: Array<{ file: string }> }
interface Entry { name: string; complete: boolean; rows: number; split?: { bounds: string[] }; parts?: Part[]; chunks: Array<{ file: string }> }

describe('a large table dumped in key-range parts', () => {
  let src: ScratchPg;
  let tmp: string;

  before(async () => {
    src = await scratchPg('parts');
    await src.query(`CREATE TABLE events (id bigint PRIMARY KEY, body text);
      INSERT INTO events SELECT i * 3, repeat('x', i % 200) FROM generate_series(-2000, 20000) i;
      CREATE TABLE tiny (id int PRIMARY KEY); INSERT INTO tiny VALUES (1);`);
    tmp = await mkdtemp(join(tmpdir(), 'pgmy-parts-'));
  });
  after(async () => {
    await src?.drop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('splits by key, in parallel, covering every row; resuming keeps complete parts and redoes the rest', async () => {
    const out = join(tmp, 'snap');
    const first = await dump({ source: src.url, out, chunkSize: 64 * 1024, jobs: 2 });
    const events = first.manifest.data.find((d) => d.name === 'events') as unknown as Entry;
    assert.ok(events.split && events.parts && events.parts.length >= 4, 'events is split into parts');
    assert.equal(events.rows, 22001);
    assert.equal((first.manifest.data.find((d) => d.name === 'tiny') as unknown as Entry).split, undefined, 'a small table is not split');

    // Make it look as if the dump had been killed with half of the parts done.
    const path = join(out, 'manifest.json');
    const m = JSON.parse(await readFile(path, 'utf8')) as { complete: boolean; data: Entry[] };
    const e = m.data.find((d) => d.name === 'events') as Entry;
    const parts = e.parts as Part[];
    const keptFiles = parts.filter((_, i) => i % 2 === 0).flatMap((p) => p.chunks.map((c) => c.file));
    parts.forEach((p, i) => {
      if (i % 2 === 1) Object.assign(p, { complete: false, rows: 0, bytes: 0, chunks: [] });
    });
    e.complete = false;
    m.complete = false;
    await writeFile(path, JSON.stringify(m));
    const before = await Promise.all(keptFiles.map(async (f) => (await stat(join(out, f))).mtimeMs));

    await src.query("UPDATE events SET body = 'changed' WHERE id = 3");
    const again = await dump({ source: src.url, out, chunkSize: 64 * 1024, jobs: 2 });
    assert.equal(again.manifest.complete, true);
    assert.equal(again.manifest.source.oneSnapshot, false, 'the manifest says the data comes from more than one snapshot');
    const after = await Promise.all(keptFiles.map(async (f) => (await stat(join(out, f))).mtimeMs));
    assert.deepEqual(after, before, 'the complete parts were kept, not rewritten');
    const resumed = again.manifest.data.find((d) => d.name === 'events') as unknown as Entry;
    assert.equal(resumed.rows, 22001, 'every row once: no part lost or repeated');
    assert.deepEqual(resumed.split?.bounds, e.split?.bounds, 'the same key ranges');

    const dst = await scratchMy('parts');
    try {
      await load({ target: dst.url, dir: out });
      const v = await verify({ source: src.url, target: dst.url, dir: out });
      const ev = v.tables.find((t) => t.table === 'events');
      assert.equal(ev?.targetRows, 22001);
      // id 3 lies in a kept part (dumped before the update) or a redone one: either way one row, no duplicate.
      const [row] = await dst.query<{ n: number }>('SELECT COUNT(*) AS n FROM events WHERE id = 3');
      assert.equal(Number(row?.n), 1);
    } finally {
      await dst.drop();
    }
  });
});

describe('a large table without an integer key dumped in page-range (ctid) parts', () => {
  let src: ScratchPg;
  let tmp: string;

  before(async () => {
    src = await scratchPg('ctid');
    await src.query(`CREATE TABLE logs (at timestamptz NOT NULL, line text);
      INSERT INTO logs SELECT timestamptz '2024-01-01 00:00:00+00' + i * interval '1 second', repeat('y', i % 300) || i FROM generate_series(1, 15000) i;
      CREATE TABLE tagged (code varchar(40) PRIMARY KEY, n int);
      INSERT INTO tagged SELECT 'code-' || i, i FROM generate_series(1, 15000) i;
      ANALYZE logs; ANALYZE tagged;`);
    tmp = await mkdtemp(join(tmpdir(), 'pgmy-ctid-'));
  });
  after(async () => {
    await src?.drop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('splits by ctid ranges covering every row once; a resumed dump redoes such a table whole', async () => {
    const out = join(tmp, 'snap');
    const first = await dump({ source: src.url, out, chunkSize: 32 * 1024, jobs: 2 });
    for (const name of ['logs', 'tagged']) {
      const d = first.manifest.data.find((x) => x.name === name) as unknown as Entry & { split?: { column: string; kind?: string } };
      assert.equal(d.split?.kind, 'ctid', `${name} is split by pages`);
      assert.ok((d.parts?.length ?? 0) >= 4, `${name} has several parts (${d.parts?.length})`);
      assert.equal(d.rows, 15000, `${name}: every row once`);
    }

    // As if killed with half of logs' parts done; then rows move to other pages before the dump resumes.
    const path = join(out, 'manifest.json');
    const m = JSON.parse(await readFile(path, 'utf8')) as { complete: boolean; data: Entry[] };
    const e = m.data.find((d) => d.name === 'logs') as Entry;
    (e.parts as Part[]).forEach((p, i) => {
      if (i % 2 === 1) Object.assign(p, { complete: false, rows: 0, bytes: 0, chunks: [] });
    });
    e.complete = false;
    m.complete = false;
    await writeFile(path, JSON.stringify(m));
    // An update writes new row versions at the end of the heap: with kept page ranges, these rows would be
    // in a kept part (old place) and a redone one (new place) at once.
    await src.query(`UPDATE logs SET line = 'moved ' || line WHERE extract(epoch FROM at)::bigint % 10 = 0`);

    const again = await dump({ source: src.url, out, chunkSize: 32 * 1024, jobs: 2 });
    const logs = again.manifest.data.find((d) => d.name === 'logs') as unknown as Entry;
    assert.equal(logs.rows, 15000, 'every row once: nothing kept from the earlier snapshot\'s page ranges');
    assert.ok((logs.parts ?? []).length >= 4);

    const dst = await scratchMy('ctid');
    try {
      await load({ target: dst.url, dir: out });
      const v = await verify({ source: src.url, target: dst.url, dir: out });
      for (const name of ['logs', 'tagged']) {
        const t = v.tables.find((x) => x.table === name);
        assert.equal(t?.targetRows, 15000, name);
        assert.equal(t?.match, true, `${name} verifies equal`);
      }
      const [moved] = await dst.query<{ n: number }>("SELECT COUNT(*) AS n FROM logs WHERE line LIKE 'moved %'");
      assert.equal(Number(moved?.n), 1500, 'the rows as they are after the update');
    } finally {
      await dst.drop();
    }
  });
});
