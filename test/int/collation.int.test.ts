import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cli, scratchMy, scratchPg, type ScratchMy, type ScratchPg } from '../helpers/servers.js';

describe('text collation', () => {
  let src: ScratchPg;
  let dst: ScratchMy;
  let tmp: string;

  before(async () => {
    src = await scratchPg('coll');
    await src.query(`CREATE TABLE users (id int PRIMARY KEY, username varchar(20) NOT NULL UNIQUE, nick text);
      INSERT INTO users VALUES (1, 'Alice', NULL), (2, 'alice', NULL), (3, 'bob', NULL), (4, 'bob ', NULL);
      CREATE TABLE tags (name varchar(20) PRIMARY KEY); INSERT INTO tags VALUES ('x'), ('Y');`);
    dst = await scratchMy('coll');
    await dst.query('SELECT 1');
    tmp = await mkdtemp(join(tmpdir(), 'pgmy-coll-'));
  });
  after(async () => {
    await src?.drop();
    await dst?.drop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('the default keeps PostgreSQL\'s meaning: no collision, every row arrives', async () => {
    const p = await cli('plan', '--source', src.url, '--target', dst.url);
    assert.equal(p.code, 0, p.out);
    const m = await cli('migrate', '--source', src.url, '--target', dst.url, '--out', join(tmp, 'default'), '--quiet');
    assert.equal(m.code, 0, m.err);
    const rows = await dst.query<{ username: string }>('SELECT username FROM users ORDER BY id');
    assert.deepEqual(rows.map((r) => r.username), ['Alice', 'alice', 'bob', 'bob ']);
  });

  it('a case-insensitive collation: plan --target names the keys that would collide', async () => {
    const p = await cli('plan', '--source', src.url, '--target', dst.url, '--text-collation', 'utf8mb4_unicode_ci');
    assert.equal(p.code, 4);
    assert.match(p.out, /public\.users: unique constraint users_username_key \(username\) would collide under utf8mb4_unicode_ci: Alice \| alice|alice \| Alice/);
  });

  it('a PAD SPACE collation: trailing spaces collide too', async () => {
    const p = await cli('plan', '--source', src.url, '--target', dst.url, '--text-collation', 'utf8mb4_bin', '--tables', 'users');
    assert.equal(p.code, 4);
    assert.match(p.out, /would collide under utf8mb4_bin: (bob \| bob |bob {2}\| bob) \(/);
    assert.doesNotMatch(p.out, /Alice \| alice/);
  });

  it('a chosen collation without collisions is used for the tables', async () => {
    const other = await scratchMy('coll2');
    try {
      const m = await cli('migrate', '--source', src.url, '--target', other.url, '--out', join(tmp, 'ci'), '--quiet', '--tables', 'tags', '--text-collation', 'utf8mb4_unicode_ci');
      assert.equal(m.code, 0, m.err);
      const [t] = await other.query<{ TABLE_COLLATION: string }>("SELECT TABLE_COLLATION FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'tags'");
      assert.equal(t?.TABLE_COLLATION, 'utf8mb4_unicode_ci');
    } finally {
      await other.drop();
    }
  });
});
