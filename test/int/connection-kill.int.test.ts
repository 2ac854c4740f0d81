import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { dump } from '../../src/dump/dump.js';
import { PgmyError } from '../../src/errors.js';
import { load } from '../../src/load/load.js';
import { verify } from '../../src/verify/verify.js';
import { cli, MY_BASE, PG_BASE, scratchMy, scratchPg, type ScratchMy, type ScratchPg } from '../helpers/servers.js';

/** Polls until `find` returns something, then hands it to `act`; gives up after `ms`. */
async function whenSeen<T>(find: () => Promise<T | undefined>, act: (t: T) => Promise<void>, ms = 20_000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const found = await find();
    if (found !== undefined) {
      await act(found);
      return true;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  return false;
}

describe('a connection killed mid-stream', () => {
  let src: ScratchPg;
  let tmp: string;

  before(async () => {
    src = await scratchPg('connkill');
    // About 40 MB of COPY text: long enough to be caught in the act.
    await src.query(`CREATE TABLE big (id bigint PRIMARY KEY, payload text NOT NULL, n numeric(12,2));
      INSERT INTO big SELECT i, repeat(md5(i::text), 4), i / 7.0 FROM generate_series(1, 250000) i;
      CREATE TABLE small (id int PRIMARY KEY); INSERT INTO small SELECT generate_series(1, 100);`);
    tmp = await mkdtemp(join(tmpdir(), 'pgmy-connkill-'));
  });
  after(async () => {
    await src?.drop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('MySQL KILL during LOAD DATA: a clear error naming the chunk; a re-run completes', async () => {
    const dir = join(tmp, 'forload');
    await dump({ source: src.url, out: dir, jobs: 1 });
    const dst: ScratchMy = await scratchMy('connkill');
    const admin = await mysql.createConnection({ uri: MY_BASE });
    try {
      const running = load({ target: dst.url, dir, jobs: 1 });
      const failed = running.then(() => undefined, (e: unknown) => e);
      const killed = await whenSeen(async () => {
        const [rows] = await admin.query("SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = ? AND INFO LIKE 'LOAD DATA%'", [dst.name]);
        return (rows as Array<{ id: number }>)[0]?.id;
      }, async (id) => { await admin.query(`KILL ${Number(id)}`); });
      assert.ok(killed, 'LOAD DATA was seen and killed');
      const err = await failed;
      assert.ok(err instanceof PgmyError, `an error, not ${String(err)}`);
      assert.match(err.message, /connection to MySQL was lost while loading chunk data\/public\.big\/000001\.tsv into big/);
      assert.match(err.hint ?? '', /Run the same command again/);
      const again = await load({ target: dst.url, dir, jobs: 1 });
      assert.equal(again.chunksLoaded + again.chunksSkipped, 2);
      assert.ok(again.chunksLoaded >= 1, 'the killed chunk is loaded again');
      const v = await verify({ source: src.url, target: dst.url, dir });
      assert.ok(v.match, JSON.stringify(v.tables.filter((t) => !t.match)));
    } finally {
      await admin.end();
      await dst.drop();
    }
  });

  it('PostgreSQL session terminated during COPY: a clear error naming the table; a re-run completes', async () => {
    const dir = join(tmp, 'fordump');
    const admin = new pg.Client({ connectionString: `${PG_BASE}/postgres` });
    await admin.connect();
    try {
      const running = dump({ source: src.url, out: dir, jobs: 1, chunkSize: 1 << 20 });
      const failed = running.then(() => undefined, (e: unknown) => e);
      const killed = await whenSeen(async () => {
        const r = await admin.query("SELECT pid FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'COPY (SELECT%big%'", [src.name]);
        return r.rows[0]?.pid as number | undefined;
      }, async (pid) => { await admin.query('SELECT pg_terminate_backend($1)', [pid]); });
      assert.ok(killed, 'COPY was seen and terminated');
      const err = await failed;
      assert.ok(err instanceof PgmyError, `an error, not ${String(err)}`);
      assert.equal(err.table, 'public.big');
      assert.match(err.message, /PostgreSQL failed while copying public\.big/);
      assert.match(err.hint ?? '', /Run the same command again/, `hint for: ${err.message} (${err.serverCode})`);
      const again = await dump({ source: src.url, out: dir, jobs: 1, chunkSize: 1 << 20 });
      assert.equal(again.manifest.complete, true);
      const dst = await scratchMy('connkill2');
      try {
        await load({ target: dst.url, dir });
        const v = await verify({ source: src.url, target: dst.url, dir });
        assert.ok(v.match, JSON.stringify(v.tables.filter((t) => !t.match)));
      } finally {
        await dst.drop();
      }
    } finally {
      await admin.end();
    }
  });
  it('PostgreSQL session terminated during verify: a clear error and exit 1, no stack trace; a re-run says equal', async () => {
    const dir = join(tmp, 'forverify');
    await dump({ source: src.url, out: dir, jobs: 1 });
    const dst = await scratchMy('connkill3');
    const admin = new pg.Client({ connectionString: `${PG_BASE}/postgres` });
    await admin.connect();
    try {
      await load({ target: dst.url, dir });
      const running = cli('verify', '--source', src.url, '--target', dst.url);
      const killed = await whenSeen(async () => {
        const r = await admin.query("SELECT pid FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'COPY (SELECT%big%'", [src.name]);
        return r.rows[0]?.pid as number | undefined;
      }, async (pid) => { await admin.query('SELECT pg_terminate_backend($1)', [pid]); });
      assert.ok(killed, 'the verify COPY was seen and terminated');
      const r = await running;
      assert.equal(r.code, 1, r.err);
      assert.match(r.err, /pgmy: PostgreSQL failed while reading public\.big to verify it/);
      assert.match(r.err, /what to do: .*Run the same command again/);
      assert.doesNotMatch(r.err, /^\s+at /m, 'no stack trace');
      assert.doesNotMatch(r.err, /unexpected error|Unhandled|ERR_UNHANDLED/);
      const again = await cli('verify', '--source', src.url, '--target', dst.url);
      assert.equal(again.code, 0, again.err + again.out);
    } finally {
      await admin.end();
      await dst.drop();
    }
  });
});
