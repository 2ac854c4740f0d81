import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dump } from '../../src/dump/dump.js';
import { load } from '../../src/load/load.js';
import mysql from 'mysql2/promise';
import { cli, MY_BASE, scratchMy, scratchPg, type ScratchMy, type ScratchPg } from '../helpers/servers.js';
import { sealed } from '../helpers/manifest.js';

describe('pgmy inspect, --json events, report.json', () => {
  let src: ScratchPg;
  let dst: ScratchMy;
  let tmp: string;
  let dir: string;

  before(async () => {
    src = await scratchPg('inspect');
    await src.query(`CREATE TABLE events (id bigint PRIMARY KEY, body text);
      INSERT INTO events SELECT i, repeat('x', 100) FROM generate_series(1, 5000) i;
      CREATE TABLE tiny (id int PRIMARY KEY); INSERT INTO tiny VALUES (1), (2);`);
    dst = await scratchMy('inspect');
    tmp = await mkdtemp(join(tmpdir(), 'pgmy-inspect-'));
    dir = join(tmp, 'snap');
    await dump({ source: src.url, out: dir, chunkSize: 64 * 1024 });
  });
  after(async () => {
    await src?.drop();
    await dst?.drop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('shows tables, rows and how far the load has got', async () => {
    await load({ target: dst.url, dir });
    const data = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')).data as Array<{ name: string; chunks: unknown[] }>;
    const total = data.reduce((n, d) => n + d.chunks.length, 0);
    const eventChunks = data.find((d) => d.name === 'events')?.chunks.length ?? 0;
    assert.ok(eventChunks > 1);
    // As if the load had been interrupted before events was journaled and before the end.
    await dst.query("DELETE FROM _pgmy_journal WHERE kind = 'done' OR (kind = 'chunk' AND item LIKE 'data/public.events/%')");
    const r = await cli('inspect', dir, '--target', dst.url);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /complete \(/);
    assert.match(r.out, /events +5000 .* yes +0\/\d+/);
    assert.match(r.out, /tiny +2 .* yes +1\/1/);
    assert.match(r.out, new RegExp(`load into ${dst.name}: ${total - eventChunks} of ${total} chunks, \\d+ post-data steps, not finished: run the same pgmy load again`));
    const json = JSON.parse((await cli('inspect', dir, '--target', dst.url, '--json')).out) as { load: { done: boolean; chunksTotal: number } };
    assert.deepEqual([json.load.done, json.load.chunksTotal], [false, total]);
  });

  it('says when a dump is not complete, with parts done', async () => {
    const path = join(dir, 'manifest.json');
    const m = JSON.parse(await readFile(path, 'utf8'));
    m.complete = false;
    const events = m.data.find((d: { name: string }) => d.name === 'events');
    events.complete = false;
    events.parts[0] = { complete: false, rows: 0, bytes: 0, chunks: [] };
    await writeFile(path, sealed(m as object));
    const r = await cli('inspect', dir);
    assert.match(r.out, /NOT complete: run the same pgmy dump again/);
    assert.match(r.out, new RegExp(`events .* ${events.parts.length - 1}/${events.parts.length} parts`));
  });

  it('dump --json and load --json write one JSON event per line, ending with done; report.json records both', async () => {
    const out = join(tmp, 'events');
    const d = await cli('dump', '--json', '--source', src.url, '--out', out, '--chunk-size', '64KiB');
    assert.equal(d.code, 0, d.err);
    const events = d.out.trim().split('\n').map((l) => JSON.parse(l) as { type: string; command: string; rows?: number });
    assert.equal(events[0]?.type, 'start');
    assert.equal(events.at(-1)?.type, 'done');
    assert.equal(events.at(-1)?.rows, 5002);
    assert.ok(events.filter((e) => e.type === 'chunk').length > 1);
    const other = await scratchMy('events');
    try {
      const l = await cli('load', '--json', '--target', other.url, out);
      assert.equal(l.code, 0, l.err);
      const le = l.out.trim().split('\n').map((x) => JSON.parse(x) as { type: string });
      assert.deepEqual([le[0]?.type, le.at(-1)?.type], ['start', 'done']);
    } finally {
      await other.drop();
    }
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as { dump: { tables: unknown[] }; load: { database: string } };
    assert.equal(report.dump.tables.length, 2);
    assert.equal(report.load.database, other.name);
  });

  it('load --dry-run checks everything, says what it would do, and changes nothing', async () => {
    const fresh = await scratchMy('dry');
    const admin = await mysql.createConnection({ uri: MY_BASE });
    try {
      const out = join(tmp, 'dry');
      await dump({ source: src.url, out, chunkSize: 64 * 1024 });
      const r = await cli('load', '--dry-run', '--target', fresh.url, out);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /nothing was changed/);
      assert.match(r.out, new RegExp(`database ${fresh.name}: would be created`));
      assert.match(r.out, /would create 2 table\(s\): events, tiny/);
      const [dbs] = await admin.query('SELECT COUNT(*) AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [fresh.name]);
      assert.equal(Number((dbs as Array<{ n: number }>)[0]?.n), 0, 'the database was not created');
      await admin.query(`CREATE DATABASE \`${fresh.name}\``);
      await admin.query(`CREATE TABLE \`${fresh.name}\`.tiny (id int PRIMARY KEY)`);
      await admin.query(`INSERT INTO \`${fresh.name}\`.tiny VALUES (9)`);
      const refused = await cli('load', '--dry-run', '--target', fresh.url, out);
      assert.equal(refused.code, 1);
      assert.match(refused.err, /tiny already exists in the target \(with rows\) and pgmy did not create it/);
      const truncating = await cli('load', '--dry-run', '--truncate', '--target', fresh.url, out);
      assert.match(truncating.out, /would empty \(--truncate\): tiny/);
    } finally {
      await admin.end();
      await fresh.drop();
    }
  });
});
