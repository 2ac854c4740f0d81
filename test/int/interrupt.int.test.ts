import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { dump } from '../../src/dump/dump.js';
import { verify } from '../../src/verify/verify.js';
import mysql from 'mysql2/promise';
import { cli, MY_BASE, scratchMy, scratchPg } from '../helpers/servers.js';

const BIN = new URL('../../../bin/pgmy.js', import.meta.url).pathname;

/**
 * How many statements like `like` the server is running now in database `db`, seen from a session of no
 * database (other tests run their own ALTERs on the same server at the same time).
 */
async function running(watch: mysql.Connection, db: string, like: string): Promise<number> {
  const [rows] = await watch.query('SELECT count(*) AS n FROM information_schema.PROCESSLIST WHERE INFO LIKE ? AND DB = ? AND ID <> CONNECTION_ID()', [like, db]);
  return Number((rows as Array<{ n: number }>)[0]?.n);
}

describe('SIGTERM and Ctrl-C (issue 16)', () => {
  it('SIGTERM during post-data stops the ALTER on the server, says how to resume, exits 130; the re-run ends exact', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'pgmy-int-'));
    const src = await scratchPg('sigterm');
    const my = await scratchMy('sigterm');
    const base = new URL(MY_BASE);
    const watch = await mysql.createConnection({ host: base.hostname, port: Number(base.port || 3306), user: decodeURIComponent(base.username), password: decodeURIComponent(base.password) });
    try {
      // Indexes on 1.2 M rows take MariaDB a few seconds to build: long enough to be interrupted.
      await src.query(`CREATE TABLE big (id int PRIMARY KEY, a text, b text, c int);
        CREATE INDEX big_a ON big (a); CREATE INDEX big_b ON big (b, c);
        INSERT INTO big SELECT g, md5(g::text), md5((g * 7)::text), g % 1000 FROM generate_series(1, 1200000) g;`);
      const dir = join(tmp, 'snap');
      await dump({ source: src.url, out: dir, jobs: 2 });
      const child = spawn(process.execPath, [BIN, 'load', '--target', my.url, dir, '--jobs', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
      let gone = false;
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => { gone = true; resolve(code); }));
      while ((await running(watch, my.name, 'ALTER TABLE%ADD%INDEX%')) === 0) {
        assert.ok(!gone, `the load ended before its index build was seen: ${err}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      child.kill('SIGTERM');
      const code = await exited;
      assert.equal(code, 130, err);
      assert.match(err, /interrupted: run the same command again to resume/);
      // KILL QUERY reached the server: the ALTER is not going on without pgmy.
      const by = Date.now() + 5_000;
      while ((await running(watch, my.name, 'ALTER TABLE%')) > 0) {
        assert.ok(Date.now() < by, 'the ALTER was stopped on the server');
        await new Promise((r) => setTimeout(r, 100));
      }
      // Stopped, not finished: the one ALTER adds both indexes, and neither is there.
      const built = await my.query<{ n: string }>("SELECT DISTINCT INDEX_NAME AS n FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'big' AND INDEX_NAME <> 'PRIMARY'");
      assert.deepEqual(built, [], 'the interrupted ALTER was rolled back');
      const again = await cli('load', '--target', my.url, dir, '--quiet');
      assert.equal(again.code, 0, again.err);
      const v = await verify({ source: src.url, target: my.url, dir });
      assert.equal(v.match, true);
      const ix = await my.query<{ n: string }>("SELECT DISTINCT INDEX_NAME AS n FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'big' ORDER BY 1");
      assert.deepEqual(ix.map((r) => r.n), ['big_a', 'big_b', 'PRIMARY']);
    } finally {
      await watch.end();
      await my.drop();
      await src.drop();
      await rm(tmp, { recursive: true, force: true });
    }
  });

  it('Ctrl-C (SIGINT) during a dump cancels its COPY on PostgreSQL, exits 130; the re-run resumes and completes', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'pgmy-int-'));
    const src = await scratchPg('sigint');
    try {
      await src.query("CREATE TABLE wide (id int PRIMARY KEY, v text); INSERT INTO wide SELECT g, repeat(md5(g::text), 8) FROM generate_series(1, 600000) g;");
      const dir = join(tmp, 'snap');
      const copying = async (): Promise<number> => Number((await src.query<{ n: string }>(
        "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'pgmy dump%' AND query LIKE 'COPY%' AND state = 'active'")).rows[0]?.n);
      const child = spawn(process.execPath, [BIN, 'dump', '--source', src.url, '--out', dir, '--jobs', '1', '--chunk-size', '1MiB'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
      let gone = false;
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => { gone = true; resolve(code); }));
      while ((await copying()) === 0) {
        assert.ok(!gone, `the dump ended before its COPY was seen: ${err}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      child.kill('SIGINT');
      assert.equal(await exited, 130, err);
      assert.match(err, /interrupted: run the same command again to resume/);
      const by = Date.now() + 2_000;
      while ((await copying()) > 0) {
        assert.ok(Date.now() < by, 'the COPY was cancelled on the server');
        await new Promise((r) => setTimeout(r, 50));
      }
      const again = await cli('dump', '--source', src.url, '--out', dir, '--quiet');
      assert.equal(again.code, 0, again.err);
      const my = await scratchMy('sigint');
      try {
        assert.equal((await cli('load', '--target', my.url, dir, '--quiet')).code, 0);
        assert.equal((await verify({ source: src.url, target: my.url, dir })).match, true);
      } finally {
        await my.drop();
      }
    } finally {
      await src.drop();
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
