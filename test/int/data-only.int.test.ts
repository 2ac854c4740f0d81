import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { spawn } from 'node:child_process';
import mysql from 'mysql2/promise';
import { dump } from '../../src/dump/dump.js';
import { verify } from '../../src/verify/verify.js';
import { cli, MY_BASE, scratchMy, scratchPg, type ScratchMy, type ScratchPg } from '../helpers/servers.js';

const BIN = new URL('../../../bin/pgmy.js', import.meta.url).pathname;

/** The shape Django's MySQL backend gives these models (UUIDField as char(32), DurationField as bigint, …). */
const DJANGO_MYSQL_SCHEMA = `
CREATE TABLE django_content_type (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, app_label varchar(100) NOT NULL, model varchar(100) NOT NULL,
  UNIQUE KEY django_content_type_app_label_model_76bd3d3b_uniq (app_label, model)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE auth_user (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, username varchar(150) NOT NULL UNIQUE, is_staff tinyint(1) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE app_item (id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, uid char(32) NOT NULL UNIQUE, raw binary(16) NULL, took bigint NOT NULL,
  price decimal(10,2) NOT NULL, flag tinyint(1) NOT NULL, data json NULL, created datetime(6) NOT NULL, ip char(39) NULL, blob_ longblob NULL,
  label varchar(20) NOT NULL, owner_id int NOT NULL, CONSTRAINT app_item_owner_id_fk FOREIGN KEY (owner_id) REFERENCES auth_user (id))
  ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO django_content_type (app_label, model) VALUES ('auth', 'user'), ('app', 'item');`;

describe('--data-only into a schema a framework made', () => {
  let src: ScratchPg;
  let dst: ScratchMy;
  let tmp: string;
  let dir: string;

  before(async () => {
    src = await scratchPg('dataonly');
    await src.query(`
      CREATE TABLE django_content_type (id serial PRIMARY KEY, app_label varchar(100) NOT NULL, model varchar(100) NOT NULL, UNIQUE (app_label, model));
      INSERT INTO django_content_type (app_label, model) VALUES ('app', 'item'), ('auth', 'user'), ('auth', 'group');
      CREATE TABLE auth_user (id serial PRIMARY KEY, username varchar(150) NOT NULL UNIQUE, is_staff boolean NOT NULL);
      INSERT INTO auth_user (username, is_staff) VALUES ('ann', true), ('bob', false);
      SELECT setval('auth_user_id_seq', 1000);
      CREATE TABLE app_item (id bigserial PRIMARY KEY, uid uuid NOT NULL UNIQUE, raw uuid, took interval NOT NULL, price numeric(10,2) NOT NULL,
        flag boolean NOT NULL, data jsonb, created timestamptz NOT NULL, ip inet, blob_ bytea, label varchar(20) NOT NULL, owner_id int NOT NULL REFERENCES auth_user (id));
      INSERT INTO app_item (uid, raw, took, price, flag, data, created, ip, blob_, label, owner_id)
      SELECT md5(i::text)::uuid, md5('r' || i)::uuid, i * interval '1 day 2 hours 3.000004 seconds' - interval '1 day', i * 1.25, i % 2 = 0,
             jsonb_build_object('i', i), timestamptz '2024-01-01 00:00:00+02' + i * interval '1 hour', '10.0.0.1', '\\x00ff'::bytea, 'item ' || i, 1 + i % 2
        FROM generate_series(1, 300) i;`);
    dst = await scratchMy('dataonly');
    await dst.query('SELECT 1');
    for (const stmt of DJANGO_MYSQL_SCHEMA.split(';').map((x) => x.trim()).filter(Boolean)) await dst.query(stmt);
    tmp = await mkdtemp(join(tmpdir(), 'pgmy-dataonly-'));
    dir = join(tmp, 'snap');
    await dump({ source: src.url, out: dir });
  });
  after(async () => {
    await src?.drop();
    await dst?.drop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('refuses tables the framework pre-filled, unless --truncate', async () => {
    const r = await cli('load', '--data-only', '--target', dst.url, dir);
    assert.equal(r.code, 1);
    assert.match(r.err, /django_content_type already holds rows that pgmy did not load/);
    assert.match(r.err, /--truncate/);
  });

  it('plan --data-only says which column goes where and how each value is converted', async () => {
    const p = await cli('plan', '--data-only', '--source', src.url, '--target', dst.url);
    assert.equal(p.code, 0, p.out);
    assert.match(p.out, /app_item → app_item/);
    assert.match(p.out, /uid \(uuid\) → uid char\(32\): the 32 hex digits without dashes/);
    assert.match(p.out, /raw \(uuid\) → raw binary\(16\): the 16 bytes/);
    assert.match(p.out, /took \(interval\) → took bigint\(20\): microseconds/);
    assert.match(p.out, /label \(character varying\(20\)\) → label varchar\(20\): as is/);
  });

  it('loads with --truncate, converting each value to the target column\'s type', async () => {
    const r = await cli('load', '--data-only', '--truncate', '--target', dst.url, dir, '--quiet');
    assert.equal(r.code, 0, r.err);
    const ct = await dst.query<{ id: number; model: string }>('SELECT id, model FROM django_content_type ORDER BY id');
    assert.deepEqual(ct.map((x) => [Number(x.id), x.model]), [[1, 'item'], [2, 'user'], [3, 'group']], 'ids come from the source');
    const [item] = await dst.query<Record<string, unknown>>('SELECT uid, HEX(raw) AS raw, took, CAST(price AS CHAR) AS price, flag, CAST(data AS CHAR) AS data, CAST(created AS CHAR) AS created, ip, HEX(blob_) AS blob_ FROM app_item WHERE id = 1');
    const [pg] = (await src.query<{ uid: string; raw: string }>("SELECT replace(uid::text, '-', '') AS uid, upper(replace(raw::text, '-', '')) AS raw FROM app_item WHERE id = 1")).rows;
    assert.equal(item?.uid, pg?.uid, 'uuid as 32 hex digits');
    assert.equal(item?.raw, pg?.raw, 'uuid as 16 bytes');
    assert.equal(String(item?.took), String(2 * 3600 * 1e6 + 3_000_004), 'interval as microseconds');
    assert.deepEqual([item?.price, Number(item?.flag), item?.data, item?.created, item?.ip, item?.blob_],
      ['1.25', 0, '{"i": 1}', '2023-12-31 23:00:00.000000', '10.0.0.1', '00FF']);
    const [n] = await dst.query<{ n: number }>('SELECT COUNT(*) AS n FROM app_item');
    assert.equal(Number(n?.n), 300);
  });

  it('pgmy verify --data-only compares through the target\'s own columns and conversions', async () => {
    const v = await cli('verify', '--data-only', '--source', src.url, '--target', dst.url, dir);
    assert.equal(v.code, 0, v.out + v.err);
    assert.match(v.out, /same rows in all 3 tables/);
    // Without --data-only, verify reads from the target's journal that the load converted values (uuid, interval).
    const plain = await cli('verify', '--source', src.url, '--target', dst.url, dir);
    assert.equal(plain.code, 0, plain.out + plain.err);
    await dst.query("UPDATE app_item SET took = took + 1, uid = REPLACE(uid, 'a', 'b') WHERE id = 7");
    const bad = await cli('verify', '--data-only', '--source', src.url, '--target', dst.url, dir);
    assert.equal(bad.code, 3);
    assert.match(bad.out, /app_item: different at key \{"id":"7"\}, column uid/);
    assert.match(bad.out, /app_item: different at key \{"id":"7"\}, column took/);
    await dst.query("UPDATE app_item SET took = took - 1, uid = (SELECT REPLACE(x, '-', '') FROM (SELECT ? AS x) q) WHERE id = 7",
      [(await src.query<{ u: string }>('SELECT uid::text AS u FROM app_item WHERE id = 7')).rows[0]?.u]);
  });

  it('--restart in data-only mode forgets the other load but keeps the framework\'s tables', async () => {
    const db = await scratchMy('dorestart');
    try {
      await db.query('SELECT 1');
      for (const stmt of DJANGO_MYSQL_SCHEMA.split(';').map((x) => x.trim()).filter(Boolean)) await db.query(stmt);
      assert.equal((await cli('load', '--data-only', '--truncate', '--target', db.url, dir, '--quiet')).code, 0);
      const second = join(tmp, 'second');
      await dump({ source: src.url, out: second });
      const refused = await cli('load', '--data-only', '--truncate', '--target', db.url, second);
      assert.match(refused.err, /holds a load of another dump/);
      const r = await cli('load', '--data-only', '--truncate', '--restart', '--target', db.url, second, '--quiet');
      assert.equal(r.code, 0, r.err);
      const [col] = await db.query<{ COLUMN_TYPE: string }>("SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'app_item' AND COLUMN_NAME = 'uid'");
      assert.equal(col?.COLUMN_TYPE, 'char(32)', 'the framework\'s table is still the framework\'s');
      const [n] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM app_item');
      assert.equal(Number(n?.n), 300);
    } finally {
      await db.drop();
    }
  });

  it('moves AUTO_INCREMENT past every id the source handed out', async () => {
    await dst.query("INSERT INTO auth_user (username, is_staff) VALUES ('new', 0)");
    const [u] = await dst.query<{ id: number }>("SELECT id FROM auth_user WHERE username = 'new'");
    assert.equal(Number(u?.id), 1001);
  });

  it('refuses a dump that does not fit, naming table, column and both types', async () => {
    const other = await scratchMy('dataonly2');
    try {
      await other.query('CREATE TABLE auth_user (id int AUTO_INCREMENT PRIMARY KEY, username int NOT NULL, extra int NOT NULL)');
      const r = await cli('load', '--data-only', '--target', other.url, dir);
      assert.equal(r.code, 4);
      assert.match(r.err, /auth_user\.username: no rule turns a PostgreSQL character varying\(150\) \(dumped as VARCHAR\(150\)\) into int\(11\)/);
      assert.match(r.err, /auth_user\.is_staff \(boolean\) has no column in the target table auth_user/);
      assert.match(r.err, /auth_user\.extra \(int\(11\)\) exists only in the target and has no default/);
      assert.match(r.err, /table django_content_type does not exist in the target/);
    } finally {
      await other.drop();
    }
  });

  it('reports orphans the target\'s foreign keys would not accept', async () => {
    const other = await scratchMy('dataonly3');
    try {
      await other.query('SELECT 1');
      for (const stmt of DJANGO_MYSQL_SCHEMA.split(';').map((x) => x.trim()).filter(Boolean)) await other.query(stmt);
      await other.query('DELETE FROM django_content_type');
      // A target-only foreign key the source data does not satisfy.
      await other.query('ALTER TABLE app_item ADD COLUMN ct int NULL DEFAULT 7, ADD CONSTRAINT app_item_ct_fk FOREIGN KEY (ct) REFERENCES django_content_type (id)');
      const r = await cli('load', '--data-only', '--allow-missing-columns', '--target', other.url, dir);
      assert.equal(r.code, 1);
      assert.match(r.err, /app_item\.app_item_ct_fk: 300 row\(s\) whose \(ct\) has no django_content_type \(id\), e\.g\. 7/);
    } finally {
      await other.drop();
    }
  });

  it('kill -9 during a --data-only --truncate load, run again: the rows loaded are not emptied, every row arrives', async () => {
    const small = join(tmp, 'small-chunks');
    await dump({ source: src.url, out: small, chunkSize: 2048 });
    const admin = await mysql.createConnection({ uri: MY_BASE });
    try {
      for (const atLeast of [1, 5, 10, 20, 30]) {
        const db = await scratchMy('dokill');
        try {
          await db.query('SELECT 1');
          for (const stmt of DJANGO_MYSQL_SCHEMA.split(';').map((x) => x.trim()).filter(Boolean)) await db.query(stmt);
          const child = spawn(process.execPath, [BIN, 'load', '--data-only', '--truncate', '--jobs', '1', '--target', db.url, small, '--quiet'], { stdio: 'ignore' });
          let exited = false;
          const exit = new Promise((r) => child.once('exit', () => { exited = true; r(undefined); }));
          while (!exited) {
            const [rows] = await admin.query(`SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = '_pgmy_journal'`, [db.name]);
            const has = Number((rows as Array<{ n: number }>)[0]?.n) > 0;
            const [j] = has ? await admin.query(`SELECT COUNT(*) AS n FROM \`${db.name}\`._pgmy_journal WHERE kind = 'chunk'`) : [[{ n: 0 }]];
            if (Number((j as Array<{ n: number }>)[0]?.n) >= atLeast) { child.kill('SIGKILL'); break; }
            await new Promise((r) => setTimeout(r, 2));
          }
          await exit;
          const again = await cli('load', '--data-only', '--truncate', '--target', db.url, small, '--quiet');
          assert.equal(again.code, 0, again.err);
          const v = await verify({ source: src.url, target: db.url, dir: small, dataOnly: true });
          assert.ok(v.match, `killed after ${atLeast} chunks: ${JSON.stringify(v.tables.filter((t) => !t.match))}`);
        } finally {
          await db.drop();
        }
      }
    } finally {
      await admin.end();
    }
  });
});
