import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { migrate } from '../../src/migrate/migrate.js';
import { verify } from '../../src/verify/verify.js';
import { PgmyError } from '../../src/errors.js';
import { cli, scratchMy, scratchPg, type ScratchPg } from '../helpers/servers.js';

/**
 * verify without a dump folder maps the source catalog again, unscanned. It must compare as the load did:
 * the same form for a type chosen from the values (numeric without precision), and a refusal, never false
 * differences, where the load's mapping came from options the catalog does not hold.
 */
describe('verify without a dump folder compares as the target was loaded, or says it cannot', () => {
  let src: ScratchPg;
  let tmp: string;
  before(async () => {
    src = await scratchPg('remap');
    await src.query(`CREATE TABLE n (id int PRIMARY KEY, price numeric, ratio real);
      INSERT INTO n SELECT i, i / 3.0, i / 7.0 FROM generate_series(1, 50) i;
      INSERT INTO n VALUES (51, NULL, NULL), (52, -123456789.000000001, 0.5);
      CREATE TABLE other (id int PRIMARY KEY, v text); INSERT INTO other VALUES (1, 'a');`);
    tmp = await mkdtemp(join(tmpdir(), 'pgmy-remap-'));
  });
  after(async () => {
    await src?.drop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('a numeric without precision (DECIMAL(p,s) chosen from the scan) compares equal, and a changed value is found', async () => {
    const dst = await scratchMy('remap1');
    try {
      await migrate({ source: src.url, target: dst.url, out: join(tmp, 'plain') });
      const cols = await dst.query<{ t: string }>("SELECT COLUMN_TYPE AS t FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'n' AND COLUMN_NAME = 'price'");
      assert.match(String(cols[0]?.t), /^decimal\(\d+,\d+\)$/);
      const v = await verify({ source: src.url, target: dst.url });
      assert.equal(v.match, true, JSON.stringify(v.tables.map((t) => t.differences)));
      await dst.query('UPDATE n SET price = price + 0.000000001 WHERE id = 52');
      const changed = await verify({ source: src.url, target: dst.url });
      assert.deepEqual(changed.tables.find((t) => t.table === 'n')?.differences.map((d) => [d.key?.id, d.column]), [['52', 'price']]);
    } finally {
      await dst.drop();
    }
  });

  it('a target loaded with --on-unrepresentable=text that changed a column is refused without the folder, compared with it', async () => {
    const dst = await scratchMy('remap2');
    try {
      await src.query("INSERT INTO n VALUES (53, 1, '-0')");
      await migrate({ source: src.url, target: dst.url, out: join(tmp, 'text'), onUnrepresentable: 'text' });
      await assert.rejects(verify({ source: src.url, target: dst.url }), (err: unknown) => {
        assert.ok(err instanceof PgmyError);
        assert.equal(err.code, 'mapping-changed');
        assert.equal(err.table, 'public.n');
        assert.match(err.message, /1 table\(s\) map otherwise than they were loaded: public\.n\. Nothing was compared/);
        return true;
      });
      const r = await cli('verify', '--source', src.url, '--target', dst.url);
      assert.equal(r.code, 1, r.err);
      assert.match(r.err, /Give the dump folder the target was loaded from/);
      const v = await verify({ source: src.url, target: dst.url, dir: join(tmp, 'text') });
      assert.equal(v.match, true, JSON.stringify(v.tables.map((t) => t.differences)));
    } finally {
      await src.query('DELETE FROM n WHERE id = 53');
      await dst.drop();
    }
  });

  it('a renamed table is refused without the folder (not reported missing); a target without forms is compared as before', async () => {
    const dst = await scratchMy('remap3');
    try {
      await migrate({ source: src.url, target: dst.url, out: join(tmp, 'renamed'), renames: new Map([['other', 'other_renamed']]) });
      await assert.rejects(verify({ source: src.url, target: dst.url }), /map otherwise than they were loaded: public\.other\./);
      // A journal written before forms were recorded holds none: verify compares what it maps, as it did.
      await dst.query("DELETE FROM _pgmy_journal WHERE kind = 'form'");
      const v = await verify({ source: src.url, target: dst.url });
      assert.equal(v.tables.find((t) => t.table === 'other')?.differences[0]?.kind, 'table-missing-in-target');
      assert.equal(v.tables.find((t) => t.table === 'n')?.match, true);
    } finally {
      await dst.drop();
    }
  });
});
