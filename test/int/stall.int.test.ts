import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { dump } from '../../src/dump/dump.js';
import { load } from '../../src/load/load.js';
import { verify } from '../../src/verify/verify.js';
import { connectMy, myTarget } from '../../src/target/mysql/connect.js';
import { connectPg, pgTarget } from '../../src/source/postgres/connect.js';
import { PgmyError } from '../../src/errors.js';
import { scratchMy, scratchPg } from '../helpers/servers.js';
import { stallingProxy } from '../helpers/stalling-proxy.js';

/** The scratch target's URL with its host and port replaced by the proxy's. */
const through = (url: string, port: number): string => url.replace(/@[^/]+\//, `@127.0.0.1:${port}/`);

/** Warnings this process emits (a deprecation warning is emitted once per process, so it is collected from the start). */
const warnings: string[] = [];
process.on('warning', (w) => warnings.push(`${w.name}: ${w.message}`));

describe('a connection that stalls (issue 16)', () => {
  it('load stops with a clear error when the path to MySQL stops forwarding mid-chunk, and the re-run ends exact', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'pgmy-stall-'));
    const src = await scratchPg('stall');
    const my = await scratchMy('stall');
    const proxy = await stallingProxy(Number(new URL(my.url).port || 3306), 3_000_000);
    try {
      await src.query("CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT g, repeat('x', 200) || g FROM generate_series(1, 60000) g;");
      const dir = join(tmp, 'snap');
      await dump({ source: src.url, out: dir, chunkSize: 1 << 20, jobs: 1 });
      const started = Date.now();
      await assert.rejects(load({ target: through(my.url, proxy.port), dir, jobs: 1, stallTimeout: 2 }), (e: unknown) => {
        assert.ok(e instanceof PgmyError, String(e));
        assert.equal(e.code, 'stalled', e.message);
        assert.match(e.message, /No progress for 2 s on the connection to MySQL .*a new connection could not get through either/);
        assert.match(e.hint ?? '', /Run the same command again/);
        return true;
      });
      assert.ok(proxy.stalled, 'the proxy stalled during the load');
      assert.ok(Date.now() - started < 30_000, `gave up in ${Date.now() - started} ms`);
      await load({ target: my.url, dir, jobs: 2 });
      const v = await verify({ source: src.url, target: my.url, dir });
      assert.equal(v.match, true, JSON.stringify(v.tables));
      assert.equal(v.tables[0]?.targetRows, 60000);
    } finally {
      await proxy.close();
      await my.drop();
      await src.drop();
      await rm(tmp, { recursive: true, force: true });
    }
  });

  it('dump stops with a clear error when the path to PostgreSQL stops forwarding mid-COPY, and the re-run resumes exact', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'pgmy-stall-pg-'));
    const src = await scratchPg('stallpg');
    const proxy = await stallingProxy(Number(new URL(src.url).port || 5432));
    try {
      await src.query("CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT g, repeat('y', 300) || g FROM generate_series(1, 80000) g;");
      const dir = join(tmp, 'snap');
      const started = Date.now();
      await assert.rejects(dump({ source: through(src.url, proxy.port), out: dir, chunkSize: 1 << 20, jobs: 1, stallTimeout: 2,
        onEvent: (e) => { if (e.type === 'chunk') proxy.stall(); } }), (e: unknown) => {
        assert.ok(e instanceof PgmyError, String(e));
        assert.equal(e.code, 'stalled', e.message);
        assert.match(e.message, /No progress for 2 s on the connection to PostgreSQL/);
        return true;
      });
      assert.ok(Date.now() - started < 30_000, `gave up in ${Date.now() - started} ms`);
      await dump({ source: src.url, out: dir, chunkSize: 1 << 20, jobs: 2 });
      const my = await scratchMy('stallpg');
      try {
        await load({ target: my.url, dir });
        const v = await verify({ source: src.url, target: my.url, dir });
        assert.equal(v.match, true, JSON.stringify(v.tables));
        assert.equal(v.tables[0]?.targetRows, 80000);
      } finally {
        await my.drop();
      }
    } finally {
      await proxy.close();
      await src.drop();
      await rm(tmp, { recursive: true, force: true });
    }
  });

  it('a long statement on a live path is waited for: the session is seen working from a second connection', async () => {
    const my = await scratchMy('stall-live');
    const proxy = await stallingProxy(Number(new URL(my.url).port || 3306));
    const conn = await connectMy(myTarget(through(my.url, proxy.port)), undefined, { stallSeconds: 1 });
    try {
      const t0 = Date.now();
      const [rows] = await conn.query('SELECT SLEEP(3) AS s');
      assert.equal(Number((rows as Array<{ s: number }>)[0]?.s), 0);
      assert.ok(Date.now() - t0 >= 2900);
    } finally {
      conn.destroy();
      await proxy.close();
      await my.drop();
    }
  });

  it('a long query on a live path to PostgreSQL is waited for too', async () => {
    const src = await scratchPg('stallpglive');
    const proxy = await stallingProxy(Number(new URL(src.url).port || 5432));
    const client = await connectPg(pgTarget(through(src.url, proxy.port)), 'pgmy test', { stallSeconds: 1 });
    try {
      const t0 = Date.now();
      const r = await client.query<{ s: string }>('SELECT pg_sleep(3)::text AS s');
      assert.equal(r.rows[0]?.s, '');
      assert.ok(Date.now() - t0 >= 2900);
      // No test of this file made node-postgres warn (its deprecated activeQuery getter, once read by the watchdog, reached users).
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(warnings.filter((w) => /pg@9|activeQuery/.test(w)), []);
    } finally {
      await client.end();
      await proxy.close();
      await src.drop();
    }
  });
});
