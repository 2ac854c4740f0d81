import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { migrate } from '../../src/migrate/migrate.js';
import { plan } from '../../src/plan/run-plan.js';
import { verify } from '../../src/verify/verify.js';
import { load } from '../../src/load/load.js';
import { connectMy, myTarget } from '../../src/target/mysql/connect.js';
import { rehearseSchema } from '../../src/target/mysql/rehearse.js';
import { attempt, cli, scratchMy, scratchPg } from '../helpers/servers.js';

const RAILS = new URL('../../../test/fixtures/rails/structure.sql', import.meta.url).pathname;

/** A JSON column as the driver hands it over (text, or already parsed). */
const json = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

describe('real application schemas: plan says ready only when migrate succeeds, and meaning is kept (issue 15)', () => {
  let tmp: string;
  before(async () => { tmp = await mkdtemp(join(tmpdir(), 'pgmy-real-')); });
  after(async () => { if (tmp) await rm(tmp, { recursive: true, force: true }); });

  it('a Rails structure.sql: ready, migrated exactly, and the target refuses what PostgreSQL refuses', async () => {
    const src = await scratchPg('rails', [RAILS]);
    const my = await scratchMy('rails');
    try {
      const p = await plan({ source: src.url, target: my.url });
      assert.equal(p.blocked, false, JSON.stringify(p.plan.target.notices.filter((n) => n.level === 'error')));
      const version = p.plan.target.tables.find((t) => t.name === 'schema_migrations')?.columns[0];
      assert.equal(version?.sqlType, 'VARCHAR(255)');
      assert.ok(p.plan.target.notices.some((n) => n.level === 'info' && /Rails database .*--data-only.*--conventions rails/.test(n.message)));
      // --conventions rails: Rails' string, VARCHAR(255), for an unbounded character varying the scan measured.
      const railsPlan = await plan({ source: src.url, target: my.url, conventions: 'rails' });
      assert.equal(railsPlan.plan.target.tables.find((t) => t.name === 'users')?.columns.find((c) => c.name === 'encrypted_password')?.sqlType, 'VARCHAR(255)');
      assert.equal(railsPlan.blocked, false);
      const text = await cli('plan', '--source', src.url);
      assert.equal(text.code, 0, text.out);
      assert.match(text.out, /^ {2}foreign key fk_rails_61ac11da2b \(account_id\) → accounts \(id\) ON DELETE CASCADE ON UPDATE NO ACTION$/m);
      assert.match(text.out, /^ {2}unique index index_users_on_email \(pgmy_index_users_on_email\)$/m);
      assert.match(text.out, /^ {2}unique index index_accounts_on_lower_name \(pgmy_index_accounts_on_lower_name\)$/m);
      await migrate({ source: src.url, target: my.url, out: join(tmp, 'rails') });
      const v = await verify({ source: src.url, target: my.url });
      assert.equal(v.match, true, JSON.stringify(v.tables.filter((t) => !t.match)));
      // First (a refused insert uses up a number, as in PostgreSQL): the defaults, and AUTO_INCREMENT after the sequence.
      assert.equal(await attempt(my, "INSERT INTO accounts (name, slug, created_at, updated_at) VALUES ('Y', 'y', NOW(), NOW())"), 'ok');
      const [y] = await my.query<{ plan: string; settings: string; tags: string; id: string }>("SELECT plan, settings, tags, id FROM accounts WHERE slug = 'y'");
      assert.deepEqual([y?.plan, json(y?.settings), json(y?.tags)], ['free', {}, []]);
      assert.equal(String(y?.id), '3', 'AUTO_INCREMENT continues after the sequence');
      // Keys, foreign keys with their actions, CHECKs (IN lists too), NOT NULL and defaults behave as in PostgreSQL.
      assert.equal(await attempt(my, "INSERT INTO schema_migrations VALUES ('20230101000001')"), 'ER_DUP_ENTRY');
      assert.equal(await attempt(my, "INSERT INTO accounts (name, slug, plan, created_at, updated_at) VALUES ('X', 'acme', 'free', NOW(), NOW())"), 'ER_DUP_ENTRY');
      assert.match(await attempt(my, "INSERT INTO accounts (name, slug, plan, created_at, updated_at) VALUES ('X', 'x', 'gold', NOW(), NOW())"), /^CHECK$/);
      assert.match(await attempt(my, 'INSERT INTO posts (user_id, title, created_at, updated_at) VALUES (999, \'t\', NOW(), NOW())'), /ER_NO_REFERENCED_ROW/);
      assert.match(await attempt(my, 'INSERT INTO users (account_id, email, sign_in_count, created_at, updated_at) VALUES (1, \'c@x\', -1, NOW(), NOW())'), /^CHECK$/);
      assert.equal(await attempt(my, 'INSERT INTO users (account_id, created_at, updated_at) VALUES (NULL, NOW(), NOW())'), 'ER_BAD_NULL_ERROR');
      // The soft-delete partial unique index: one live row per email, any number of deleted ones.
      assert.equal(await attempt(my, "INSERT INTO users (account_id, email, created_at, updated_at) VALUES (2, 'ann@example.com', NOW(), NOW())"), 'ER_DUP_ENTRY');
      assert.equal(await attempt(my, "INSERT INTO users (account_id, email, deleted_at, created_at, updated_at) VALUES (2, 'ann@example.com', NOW(), NOW(), NOW())"), 'ok');
      // A case-insensitive unique name (lower(name)): 'ACME' is Acme's duplicate in both.
      assert.equal(await attempt(my, "INSERT INTO accounts (name, slug, created_at, updated_at) VALUES ('ACME', 'acme2', NOW(), NOW())"), 'ER_DUP_ENTRY');
      assert.equal(await attempt(my, "INSERT INTO accounts (name, slug, created_at, updated_at) VALUES ('Acme Two', 'acme3', NOW(), NOW())"), 'ok');
      const [star] = await my.query<Record<string, unknown>>('SELECT * FROM users LIMIT 1');
      assert.ok(!Object.keys(star ?? {}).some((k) => k.startsWith('pgmy_')), 'the generated column is invisible');
      // ON DELETE CASCADE: deleting the account deletes its users (posts reference users without an action: refused).
      assert.match(await attempt(my, 'DELETE FROM accounts WHERE id = 1'), /ER_ROW_IS_REFERENCED/);
      await my.query('DELETE FROM posts');
      assert.equal(await attempt(my, 'DELETE FROM accounts WHERE id = 1'), 'ok');
      const [left] = await my.query<{ n: number }>('SELECT count(*) AS n FROM users WHERE account_id = 1');
      assert.equal(Number(left?.n), 0);
    } finally {
      await my.drop();
      await src.drop();
    }
  });

  it('what MySQL would refuse is found by plan, and migrate refuses it before creating anything', async () => {
    const src = await scratchPg('refuse');
    const my = await scratchMy('refuse');
    try {
      await src.query(`CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (id int PRIMARY KEY, p_id int REFERENCES p(id));
        CREATE TABLE t0 (); CREATE TABLE js (id int PRIMARY KEY, j json);
        INSERT INTO js VALUES (1, '"\\ud83d\\ud83d"'), (2, (repeat('[', 40) || repeat(']', 40))::json), (3, '{"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}'),
          (4, '["\\\\ud83d", "\\ud83d\\ude00"]');
        CREATE TABLE jb (id int PRIMARY KEY, j jsonb);
        INSERT INTO jb VALUES (1, '"\\\\ud83d"'), (2, (repeat('{"k": ', 31) || '[]' || repeat('}', 31))::jsonb), (3, (repeat('[', 31) || repeat(']', 31))::jsonb);`);
      const p = await plan({ source: src.url, target: my.url });
      const errors = p.plan.target.notices.filter((n) => n.level === 'error');
      assert.ok(errors.some((n) => n.table === 'public.t0' && /no columns/.test(n.message)));
      assert.ok(errors.some((n) => n.column === 'j' && /nested more than 31/.test(n.message) && /first: id=2/.test(n.message)));
      assert.ok(errors.some((n) => n.column === 'j' && /surrogate/.test(n.message) && /first: id=1/.test(n.message)));
      assert.ok(!errors.some((n) => /id=3/.test(n.message)), 'brackets inside a JSON string are not nesting');
      // An escaped backslash before u is text, not an escape; jsonb is checked by a JSON path (a container 32 deep).
      assert.equal(errors.filter((n) => n.table === 'public.js' && /surrogate/.test(n.message)).length, 1);
      assert.ok(!errors.some((n) => n.table === 'public.js' && /id=4/.test(n.message)));
      const jb = errors.filter((n) => n.table === 'public.jb');
      assert.equal(jb.length, 1, JSON.stringify(jb));
      assert.match(jb[0]?.message ?? '', /nested more than 31.*first: id=2/);
      // The plan's first screen: the verdict and every blocker before any table's details.
      const shown = await cli('plan', '--source', src.url);
      assert.equal(shown.code, 4);
      const head = shown.out.split('\n').slice(0, 6).join('\n');
      assert.match(head, /^verdict: BLOCKED \(3 blockers\)$/m);
      assert.match(head, /blocker: public\.t0: the table has no columns/);
      assert.ok(shown.out.indexOf('verdict:') < shown.out.indexOf('public.c → c'));
      // A cast that makes the two sides of a foreign key differ: only the server knows; plan --target asks it.
      const cast = await plan({ source: src.url, target: my.url, excludeTables: ['t0', 'js', 'jb'], casts: new Map([['c.p_id', 'INT UNSIGNED']]) });
      assert.equal(cast.blocked, true);
      assert.ok(cast.plan.target.notices.some((n) => n.level === 'error' && n.table === 'public.c' && /refuses its foreign keys/.test(n.message) && !/_pgmy_rehearsal/.test(n.message)));
      const run = await cli('migrate', '--source', src.url, '--target', my.url, '--out', join(tmp, 'refuse'), '--exclude-tables', 't0,js,jb', '--cast', 'c.p_id=INT UNSIGNED', '--quiet');
      assert.equal(run.code, 4, run.err);
      assert.match(run.err, /nothing was created/);
      const tables = await my.query<{ n: string }>("SELECT TABLE_NAME AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> '_pgmy_journal'");
      assert.deepEqual(tables, []);
      // The scratch databases go, refused or not (a tag of the test's own: other tests rehearse at the same time).
      const conn = await connectMy(myTarget(my.url));
      try {
        const r = await rehearseSchema(conn, cast.plan.target, 'mariadb', 'test15');
        assert.equal(r.ran && r.refused.length, 1);
      } finally {
        await conn.end();
      }
      const scratch = await my.query<{ n: string }>("SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '\\_pgmy\\_rehearsal\\_test15%'");
      assert.deepEqual(scratch, [], 'the scratch databases are dropped');
      // What the checks let through, MariaDB takes: the rows left once the refused ones are gone migrate exactly.
      await src.query('DELETE FROM js WHERE id IN (1, 2); DELETE FROM jb WHERE id = 2');
      const carried = await cli('migrate', '--source', src.url, '--target', my.url, '--out', join(tmp, 'carried'), '--tables', 'js,jb', '--quiet');
      assert.equal(carried.code, 0, carried.err);
      const rows = await my.query<{ n: string }>('SELECT (SELECT count(*) FROM js) + (SELECT count(*) FROM jb) AS n');
      assert.equal(Number(rows[0]?.n), 4);
    } finally {
      await my.drop();
      await src.drop();
    }
  });

  it('an empty source is not ready: dump would refuse it', async () => {
    const src = await scratchPg('empty');
    try {
      const shown = await cli('plan', '--source', src.url);
      assert.equal(shown.code, 4, shown.out);
      assert.match(shown.out, /no tables to move in schema public/);
    } finally {
      await src.drop();
    }
  });

  it('meaning kept: NULLs beside a sequence, domain NOT NULL, char comparisons, array defaults, inheritance and extension tables said', async () => {
    const src = await scratchPg('meaning');
    const my = await scratchMy('meaning');
    try {
      await src.query(`CREATE SEQUENCE s1;
        CREATE SEQUENCE invoice_no START 1000 INCREMENT 10; SELECT nextval('invoice_no');
        CREATE TABLE nv (id int PRIMARY KEY, i2 int DEFAULT nextval('s1'));
        INSERT INTO nv VALUES (1, -4), (2, NULL);
        CREATE DOMAIN flag boolean NOT NULL;
        CREATE TABLE dm (id int PRIMARY KEY, f flag);
        INSERT INTO dm VALUES (1, true);
        CREATE TABLE ch (id int PRIMARY KEY, c char(4) UNIQUE);
        INSERT INTO ch VALUES (1, 'ab');
        CREATE TABLE arr (id int PRIMARY KEY, a int[] DEFAULT '{}', b int[] DEFAULT '{1,2}');
        CREATE TABLE par (id int, v text);
        CREATE TABLE kid (x int) INHERITS (par);
        INSERT INTO par VALUES (1, 'a'); INSERT INTO kid VALUES (2, 'b', 1);
        CREATE EXTENSION IF NOT EXISTS citext;
        CREATE TABLE ext_owned (id int PRIMARY KEY);
        ALTER EXTENSION citext ADD TABLE ext_owned;
        CREATE TABLE small (id smallint PRIMARY KEY); CREATE TABLE wide (id bigint PRIMARY KEY, s int REFERENCES small(id));
        CREATE TABLE rr (id int PRIMARY KEY, s smallint CONSTRAINT rr_s_fkey REFERENCES small(id) ON DELETE RESTRICT ON UPDATE RESTRICT);
        INSERT INTO small VALUES (1); INSERT INTO rr VALUES (1, 1);`);
      const p = await plan({ source: src.url, target: my.url });
      assert.equal(p.blocked, false, JSON.stringify(p.plan.target.notices.filter((n) => n.level === 'error')));
      assert.ok(!p.plan.target.tables.some((t) => t.name === 'ext_owned'), "an extension's table is the extension's");
      assert.ok(p.plan.catalog.otherObjects.some((o) => o.kind === 'extension table' && /ext_owned/.test(o.name)));
      assert.ok(p.plan.target.notices.some((n) => n.table === 'public.par' && /also returns their rows/.test(n.message)));
      await migrate({ source: src.url, target: my.url, out: join(tmp, 'meaning') });
      assert.equal((await verify({ source: src.url, target: my.url })).match, true);
      const nv = await my.query<{ id: number; i2: number | null }>('SELECT id, i2 FROM nv ORDER BY id');
      assert.deepEqual(nv.map((r) => [r.id, r.i2]), [[1, -4], [2, null]], 'the stored NULL stays NULL');
      assert.equal(await attempt(my, 'INSERT INTO nv (id, i2) VALUES (3, NULL)'), 'ok');
      // The sequence goes on where PostgreSQL's stood: an omitted i2 takes its next value (MariaDB SEQUENCE), an explicit NULL stays NULL.
      assert.equal(await attempt(my, 'INSERT INTO nv (id) VALUES (4)'), 'ok');
      const after = await my.query<{ id: number; i2: number | null }>('SELECT id, i2 FROM nv WHERE id >= 3 ORDER BY id');
      assert.deepEqual(after.map((r) => [r.id, r.i2]), [[3, null], [4, 1]]);
      const [inv] = await my.query<{ n: string }>('SELECT NEXTVAL(invoice_no) AS n');
      assert.equal(String(inv?.n), '1010', 'a standalone sequence stands where it stood');
      // A sequence of that name that pgmy did not make is someone else's: load refuses it, naming it.
      const other = await scratchMy('meaning2');
      try {
        await other.query('CREATE SEQUENCE invoice_no');
        await assert.rejects(load({ dir: join(tmp, 'meaning'), target: other.url }), /Sequence \S*invoice_no already exists/);
      } finally {
        await other.drop();
      }
      assert.equal(await attempt(my, 'INSERT INTO dm (id, f) VALUES (2, NULL)'), 'ER_BAD_NULL_ERROR');
      const [padded] = await my.query<{ n: number }>("SELECT count(*) AS n FROM ch WHERE c = 'ab  '");
      const pg = await src.query<{ n: string }>("SELECT count(*) AS n FROM ch WHERE c = 'ab  '");
      assert.equal(Number(padded?.n), Number(pg.rows[0]?.n));
      assert.equal(await attempt(my, "INSERT INTO ch VALUES (2, 'ab ')"), 'ER_DUP_ENTRY');
      assert.equal(await attempt(my, 'INSERT INTO arr (id) VALUES (1)'), 'ok');
      const [a] = await my.query<{ a: string; b: string }>('SELECT a, b FROM arr');
      assert.deepEqual([json(a?.a), json(a?.b)], [[], [1, 2]], JSON.stringify(a));
      // smallint REFERENCES … and int: both sides INT, the widest, so that InnoDB takes the key.
      const cols = await my.query<{ t: string }>("SELECT COLUMN_TYPE AS t FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND ((TABLE_NAME = 'wide' AND COLUMN_NAME = 's') OR (TABLE_NAME = 'small' AND COLUMN_NAME = 'id'))");
      assert.deepEqual(cols.map((c) => c.t.replace(/\(\d+\)/, '')), ['int', 'int']);
      assert.equal(await attempt(my, 'INSERT INTO wide VALUES (1, 7)'), 'ER_NO_REFERENCED_ROW_2');
      // RESTRICT stays RESTRICT (MariaDB records NO ACTION for a key added with foreign_key_checks off).
      const [rule] = await my.query<{ d: string; u: string }>("SELECT DELETE_RULE AS d, UPDATE_RULE AS u FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND CONSTRAINT_NAME = 'rr_s_fkey'");
      assert.deepEqual([rule?.d, rule?.u], ['RESTRICT', 'RESTRICT']);
      assert.match(await attempt(my, 'DELETE FROM small WHERE id = 1'), /ER_ROW_IS_REFERENCED/);
      await src.query('ALTER EXTENSION citext DROP TABLE ext_owned');
    } finally {
      await my.drop();
      await src.drop();
    }
  });
});
