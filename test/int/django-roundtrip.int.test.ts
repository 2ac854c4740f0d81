import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dump } from '../../src/dump/dump.js';
import { load } from '../../src/load/load.js';
import { verify } from '../../src/verify/verify.js';
import { scratchMy, scratchPg, type ScratchMy, type ScratchPg } from '../helpers/servers.js';

const FIXTURE = new URL('../../../test/fixtures/django-shop.sql', import.meta.url).pathname;

describe('a Django-style database, dumped and loaded', () => {
  let src: ScratchPg;
  let dst: ScratchMy;
  let dir: string;

  before(async () => {
    src = await scratchPg('django', [FIXTURE]);
    dst = await scratchMy('django');
    dir = join(await mkdtemp(join(tmpdir(), 'pgmy-')), 'snap');
    // A small chunk size so that tables span several chunks.
    await dump({ source: src.url, out: dir, chunkSize: 64 * 1024, jobs: 2 });
    await load({ target: dst.url, dir, jobs: 2 });
  });
  after(async () => {
    await src?.drop();
    await dst?.drop();
    if (dir) await rm(join(dir, '..'), { recursive: true, force: true });
  });

  it('holds every row of every table, value for value (pgmy verify)', async () => {
    const result = await verify({ source: src.url, target: dst.url, dir });
    assert.equal(result.tables.length, 11);
    for (const t of result.tables) {
      assert.equal(t.match, true, `${t.table}: ${JSON.stringify(t.differences)}`);
      assert.ok(t.sourceRows > 0, `${t.table} has rows`);
    }
  });

  it('keeps the awkward strings byte for byte', async () => {
    const pgRows = (await src.query<{ id: number; value: string | null }>('SELECT id, value FROM tricky ORDER BY id')).rows;
    const myRows = await dst.query<{ id: number; value: Buffer | null }>('SELECT id, CAST(value AS BINARY) AS value FROM tricky ORDER BY id');
    assert.equal(myRows.length, pgRows.length);
    for (const [i, p] of pgRows.entries()) {
      const m = myRows[i];
      assert.equal(m?.value === null ? null : m?.value.toString('utf8'), p.value, `tricky row ${p.id}`);
    }
    const [ff] = await dst.query<{ h: string }>('SELECT HEX(value) AS h FROM tricky WHERE id = 5');
    assert.equal(ff?.h, '610C62', 'a form feed arrives as a form feed, not the letter f');
  });

  it('keeps every byte value of a bytea', async () => {
    const [row] = await dst.query<{ image: Buffer }>('SELECT image FROM shop_product WHERE id = 2');
    assert.deepEqual(row?.image, Buffer.from(Array.from({ length: 256 }, (_, i) => i)));
    const [zero] = await dst.query<{ n: number }>("SELECT COUNT(*) AS n FROM shop_product WHERE id = 0 AND name = 'Product 0 ✓'");
    assert.equal(Number(zero?.n), 1, 'id 0 stays 0');
  });

  it('continues AUTO_INCREMENT from the sequence, not from max(id)', async () => {
    const rows = await dst.query<{ AUTO_INCREMENT: string }>(
      "SELECT AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'shop_product'");
    assert.equal(String(rows[0]?.AUTO_INCREMENT), '5001');
    await dst.query("INSERT INTO shop_product (sku, name, price, owner_id, status) VALUES (UUID(), 'new', 1, 1, 'draft')");
    const [n] = await dst.query<{ id: string }>("SELECT id FROM shop_product WHERE name = 'new'");
    assert.equal(String(n?.id), '5001');
  });

  it('has the primary keys, unique keys, indexes and foreign keys of the source', async () => {
    const idx = await dst.query<{ TABLE_NAME: string; INDEX_NAME: string; NON_UNIQUE: number; COLS: string }>(
      `SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS COLS
         FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() GROUP BY TABLE_NAME, INDEX_NAME, NON_UNIQUE`);
    const has = (table: string, name: string, unique: boolean, cols: string) =>
      assert.ok(idx.some((i) => i.TABLE_NAME === table && i.INDEX_NAME === name && Number(i.NON_UNIQUE) === (unique ? 0 : 1) && i.COLS === cols), `${table}.${name}`);
    has('auth_user', 'PRIMARY', true, 'id');
    has('auth_user', 'auth_user_username_key', true, 'username');
    has('auth_user_groups', 'auth_user_groups_user_id_group_id_uniq', true, 'user_id,group_id');
    has('django_content_type', 'django_content_type_app_label_model_uniq', true, 'app_label,model');
    has('shop_product', 'shop_product_category_created_idx', false, 'category_id,created');
    has('shop_product_tags', 'shop_product_tags_product_id_tag_uniq', true, 'product_id,tag');
    const fks = await dst.query<{ CONSTRAINT_NAME: string; TABLE_NAME: string; REFERENCED_TABLE_NAME: string; UPDATE_RULE: string; DELETE_RULE: string }>(
      'SELECT CONSTRAINT_NAME, TABLE_NAME, REFERENCED_TABLE_NAME, UPDATE_RULE, DELETE_RULE FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()');
    const pgFks = (await src.query<{ n: string }>("SELECT count(*) AS n FROM pg_constraint WHERE contype = 'f'")).rows[0]?.n;
    assert.equal(fks.length, Number(pgFks));
    const self = fks.find((f) => f.TABLE_NAME === 'shop_category');
    assert.deepEqual([self?.REFERENCED_TABLE_NAME, self?.UPDATE_RULE, self?.DELETE_RULE], ['shop_category', 'CASCADE', 'CASCADE']);
    const setNull = fks.find((f) => f.CONSTRAINT_NAME === 'shop_product_category_id_fkey');
    assert.equal(setNull?.DELETE_RULE, 'SET NULL');
  });

  it('keeps keys that differ only by case or a trailing space distinct, and enforces them', async () => {
    const users = await dst.query<{ username: string }>("SELECT username FROM auth_user WHERE LOWER(username) LIKE 'alice%' ORDER BY username");
    assert.deepEqual(users.map((u) => u.username), ['Alice', 'alice', 'alice ']);
    await assert.rejects(dst.query("INSERT INTO auth_user (password, username, last_name, email, is_staff, is_active, is_superuser, first_name, date_joined) VALUES ('x', 'alice', 'a', 'x', 0, 1, 0, '', NOW())"), /Duplicate entry/);
  });

  it('maps the types as documented', async () => {
    const cols = await dst.query<{ COLUMN_NAME: string; COLUMN_TYPE: string }>(
      "SELECT COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'shop_product'");
    const typeOf = (c: string) => cols.find((x) => x.COLUMN_NAME === c)?.COLUMN_TYPE;
    assert.equal(typeOf('sku'), 'char(36)');
    assert.equal(typeOf('price'), 'decimal(10,2)');
    assert.equal(typeOf('updated'), 'datetime(3)');
    assert.equal(typeOf('published_at'), 'datetime(6)');
    assert.equal(typeOf('status'), "enum('draft','published','archived')");
    assert.equal(typeOf('image'), 'longblob');
  });

  it('stores timestamptz as the UTC instant', async () => {
    const [p] = (await src.query<{ t: string }>("SELECT to_char(published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS t FROM shop_product WHERE id = 1")).rows;
    const [m] = await dst.query<{ t: string }>('SELECT published_at AS t FROM shop_product WHERE id = 1');
    assert.equal(m?.t, p?.t);
    assert.equal(m?.t, '2021-06-01 23:00:00.500000');
  });

  it('wrote the files a person can read: schema.sql, post-data.sql, a versioned manifest, owner-only', async () => {
    const entries = (await readdir(dir)).sort();
    assert.deepEqual(entries, ['data', 'manifest.json', 'post-data.sql', 'report.html', 'report.json', 'schema.sql']);
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as { dump: { tables: Array<{ table: string; rows: number; mbPerSec?: number }> }; load: { chunksLoaded: number } };
    assert.equal(report.dump.tables.find((t) => t.table === 'public.shop_product')?.rows, 3000);
    assert.ok(report.load.chunksLoaded > 0, 'the load wrote its section');
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
    assert.equal(manifest.formatVersion, 2);
    assert.equal(manifest.complete, true);
    assert.equal(manifest.source.oneSnapshot, true);
    assert.doesNotMatch(JSON.stringify(manifest), /password=|:[^@/]+@127/);
    const product = manifest.data.find((d: { name: string }) => d.name === 'shop_product');
    assert.ok(product.chunks.length > 1, 'shop_product spans several chunks');
    assert.equal(product.rows, 3000);
    assert.match(await readFile(join(dir, 'schema.sql'), 'utf8'), /CREATE TABLE `shop_product`/);
    assert.match(await readFile(join(dir, 'post-data.sql'), 'utf8'), /ADD CONSTRAINT `shop_product_owner_id_fkey`/);
    assert.equal((await stat(join(dir, 'manifest.json'))).mode & 0o777, 0o600);
    assert.equal((await stat(dir)).mode & 0o777, 0o700);
  });
});
