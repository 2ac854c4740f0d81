import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { dump } from '../../src/dump/dump.js';
import { cli, MY_BASE, PG_BASE, scratchMy, scratchName, scratchPg, type ScratchMy, type ScratchPg } from '../helpers/servers.js';

describe('missing privileges, and the source from PG* variables', () => {
  let src: ScratchPg;
  let dst: ScratchMy;
  let tmp: string;
  const role = scratchName('role');

  before(async () => {
    src = await scratchPg('priv');
    await src.query('CREATE TABLE open_t (id int PRIMARY KEY); CREATE TABLE secret_t (id int PRIMARY KEY, v double precision); INSERT INTO secret_t VALUES (1, 1.5)');
    const admin = new pg.Client({ connectionString: `${PG_BASE}/postgres` });
    await admin.connect();
    await admin.query(`CREATE ROLE ${role} LOGIN`);
    await admin.end();
    await src.query(`GRANT SELECT ON open_t TO ${role}`);
    dst = await scratchMy('priv');
    tmp = await mkdtemp(join(tmpdir(), 'pgmy-priv-'));
  });
  after(async () => {
    await src?.drop();
    const admin = new pg.Client({ connectionString: `${PG_BASE}/postgres` });
    await admin.connect();
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
    await dst?.drop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('no SELECT on a source table: names it and says what to grant', async () => {
    const url = new URL(`${PG_BASE}/${src.name}`);
    url.username = role;
    url.password = '';
    const r = await cli('dump', '--source', url.toString(), '--out', join(tmp, 'x'));
    assert.equal(r.code, 1);
    assert.match(r.err, /permission denied for table secret_t/);
    assert.match(r.err, /grant it SELECT on the tables/);
  });

  it('no CREATE in the target: says what to grant', async () => {
    const dir = join(tmp, 'snap');
    await dump({ source: src.url, out: dir, tables: ['open_t'] });
    const user = role.slice(0, 30);
    const admin = await mysql.createConnection({ uri: MY_BASE });
    try {
      await admin.query(`CREATE DATABASE \`${dst.name}\``);
      await admin.query(`CREATE USER '${user}'@'%' IDENTIFIED BY 'pw'`);
      await admin.query(`GRANT SELECT, INSERT ON \`${dst.name}\`.* TO '${user}'@'%'`);
      const host = MY_BASE.replace(/^mysql:\/\/[^@]*@/, '');
      const r = await cli('load', '--target', `mysql://${user}:pw@${host}/${dst.name}`, dir);
      assert.equal(r.code, 1);
      assert.match(r.err, /denied/i);
      const hint = /Grant the target user ([A-Z, ]+) on the target database/.exec(r.err);
      assert.ok(hint?.[1], r.err);
      assert.doesNotMatch(r.err, /:pw@/);
      // Exactly what the hint lists is enough (a user with those grants used to fail with "bug in pgmy").
      await admin.query(`GRANT ${hint[1]} ON \`${dst.name}\`.* TO '${user}'@'%'`);
      const ok = await cli('load', '--target', `mysql://${user}:pw@${host}/${dst.name}`, dir, '--quiet');
      assert.equal(ok.code, 0, ok.err);
    } finally {
      await admin.query(`DROP USER IF EXISTS '${user}'@'%'`);
      await admin.end();
    }
  });

  it('PGHOST, PGPORT, PGUSER and PGDATABASE stand in for --source; without PGDATABASE it says what is missing', async () => {
    const base = new URL(PG_BASE);
    const saved = { ...process.env };
    try {
      Object.assign(process.env, { PGHOST: base.hostname, PGPORT: base.port || '5432', PGUSER: decodeURIComponent(base.username) || 'postgres', PGDATABASE: src.name });
      const p = await cli('plan', '--tables', 'open_t');
      assert.equal(p.code, 0, p.out + p.err);
      assert.match(p.out, new RegExp(`plan for postgres://.*/${src.name}`));
      delete process.env.PGDATABASE;
      const none = await cli('plan');
      assert.equal(none.code, 2);
      assert.match(none.err, /No source: give --source .* or set PGDATABASE/);
    } finally {
      for (const k of ['PGHOST', 'PGPORT', 'PGUSER', 'PGDATABASE']) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
  });
});
