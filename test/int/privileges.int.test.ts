import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
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
    // A serial table the role may read (not its sequence), beside one it may not read at all, whose sequence it may not read either.
    await src.query("CREATE TABLE counted (id serial PRIMARY KEY, v text); INSERT INTO counted (v) VALUES ('a'), ('b'), ('c'); DELETE FROM counted WHERE id = 3");
    await src.query("CREATE TABLE hidden (id serial PRIMARY KEY); INSERT INTO hidden DEFAULT VALUES");
    const admin = new pg.Client({ connectionString: `${PG_BASE}/postgres` });
    await admin.connect();
    await admin.query(`CREATE ROLE ${role} LOGIN`);
    await admin.end();
    await src.query(`GRANT SELECT ON open_t, counted TO ${role}`);
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
    assert.match(r.err, /permission denied for table (secret_t|hidden)/);
    assert.match(r.err, /grant it SELECT on the tables/);
  });

  it('a role that reads only some tables migrates those with --tables: no other table\'s sequence is read; an unreadable own sequence is a warning', async () => {
    const url = new URL(`${PG_BASE}/${src.name}`);
    url.username = role;
    url.password = '';
    const r = await cli('migrate', '--source', url.toString(), '--tables', 'counted', '--target', `${MY_BASE}/${dst.name}_seq`, '--out', join(tmp, 'seq'));
    try {
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /warning: .*may not read sequence public\.counted_id_seq \(GRANT SELECT ON SEQUENCE public\.counted_id_seq .*AUTO_INCREMENT continues after the largest value loaded/);
      const conn = await mysql.createConnection({ uri: `${MY_BASE}/${dst.name}_seq` });
      try {
        await conn.query("INSERT INTO counted (v) VALUES ('new')");
        const [rows] = await conn.query('SELECT id FROM counted ORDER BY id');
        // The sequence stood at 4 (3 was deleted); not readable, the next id follows the largest loaded, 2.
        assert.deepEqual((rows as Array<{ id: number }>).map((x) => x.id), [1, 2, 3]);
      } finally {
        await conn.end();
      }
      // With the grant pgmy reads where the sequence stands.
      await src.query(`GRANT SELECT ON SEQUENCE counted_id_seq TO ${role}`);
      const d = await cli('dump', '--source', url.toString(), '--tables', 'counted', '--out', join(tmp, 'seq2'), '--quiet');
      assert.equal(d.code, 0, d.err);
      const manifest = JSON.parse(await readFile(join(tmp, 'seq2', 'manifest.json'), 'utf8')) as { target: { tables: Array<{ autoIncrement?: { next: string } }> } };
      assert.equal(manifest.target.tables[0]?.autoIncrement?.next, '4');
    } finally {
      const admin = await mysql.createConnection({ uri: MY_BASE });
      await admin.query(`DROP DATABASE IF EXISTS \`${dst.name}_seq\``);
      await admin.end();
    }
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
