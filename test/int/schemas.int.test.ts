import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { verify } from '../../src/verify/verify.js';
import { cli, scratchMy, scratchName, scratchPg, type ScratchMy, type ScratchPg } from '../helpers/servers.js';

describe('several schemas', () => {
  let src: ScratchPg;
  let dst: ScratchMy;
  let tmp: string;
  const salesDb = scratchName('sales');

  before(async () => {
    src = await scratchPg('schemas');
    await src.query(`
      CREATE TABLE public.users (id int PRIMARY KEY, name text);
      INSERT INTO public.users SELECT i, 'u' || i FROM generate_series(1, 20) i;
      CREATE SCHEMA sales;
      CREATE TABLE sales.users (id int PRIMARY KEY, region text);
      INSERT INTO sales.users VALUES (1, 'north');
      CREATE TABLE sales.orders (id int PRIMARY KEY, user_id int NOT NULL REFERENCES public.users (id), seller_id int REFERENCES sales.users (id));
      INSERT INTO sales.orders SELECT i, 1 + i % 20, 1 FROM generate_series(1, 30) i;
      CREATE VIEW sales.big_orders AS SELECT * FROM sales.orders WHERE id > 10;`);
    dst = await scratchMy('schemas');
    tmp = await mkdtemp(join(tmpdir(), 'pgmy-schemas-'));
  });
  after(async () => {
    await src?.drop();
    await dst?.query(`DROP DATABASE IF EXISTS \`${salesDb}\``);
    await dst?.drop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('plan shows each schema in its own database by default, and lists the view as not carried', async () => {
    const p = await cli('plan', '--source', src.url, '--schema', 'public', '--schema', 'sales');
    assert.equal(p.code, 0, p.out);
    assert.match(p.out, /public\.users → users /);
    assert.match(p.out, /sales\.users → sales\.users /);
    assert.match(p.out, /view sales\.big_orders is not carried/);
  });

  it('--schema-map puts a schema into a database of the user\'s choice, with foreign keys across databases', async () => {
    const out = join(tmp, 'snap');
    const m = await cli('migrate', '--source', src.url, '--target', dst.url, '--out', out, '--quiet',
      '--schema', 'public,sales', '--schema-map', `sales=${salesDb}`);
    assert.equal(m.code, 0, m.err);
    const result = await verify({ source: src.url, target: dst.url, dir: out });
    assert.deepEqual(result.tables.map((t) => [t.table, t.match, t.targetRows]), [['users', true, 20], ['orders', true, 30], ['users', true, 1]]);
    const fks = await dst.query<{ TABLE_SCHEMA: string; REFERENCED_TABLE_SCHEMA: string; REFERENCED_TABLE_NAME: string }>(
      `SELECT TABLE_SCHEMA, REFERENCED_TABLE_SCHEMA, REFERENCED_TABLE_NAME FROM information_schema.KEY_COLUMN_USAGE
        WHERE TABLE_SCHEMA = ? AND REFERENCED_TABLE_NAME IS NOT NULL ORDER BY REFERENCED_TABLE_SCHEMA = ?`, [salesDb, salesDb]);
    assert.deepEqual(fks.map((f) => [f.REFERENCED_TABLE_SCHEMA, f.REFERENCED_TABLE_NAME]), [[dst.name, 'users'], [salesDb, 'users']]);
    await assert.rejects(dst.query(`INSERT INTO \`${salesDb}\`.orders VALUES (999, 12345, 1)`), /foreign key constraint fails/);
  });

  it('two schemas forced into one database with the same table name are refused by name', async () => {
    const p = await cli('plan', '--source', src.url, '--schema', 'public,sales', '--schema-map', 'sales=');
    assert.equal(p.code, 4);
    assert.match(p.out, /public\.users would land in the same MySQL database as|sales\.users would land in the same MySQL database as public\.users/);
  });
});
