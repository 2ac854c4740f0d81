import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { migrate } from '../../src/migrate/migrate.js';
import { verify } from '../../src/verify/verify.js';
import { cli } from '../helpers/servers.js';
import { scratchMy, scratchPg, type ScratchMy, type ScratchPg } from '../helpers/servers.js';

describe('verify is a proof: two different values never compare equal, equal ones always do', () => {
  let src: ScratchPg;
  let dst: ScratchMy;
  let tmp: string;
  before(async () => {
    src = await scratchPg('proof');
    await src.query(`CREATE TABLE t (id int PRIMARY KEY, d date, ts timestamp, tz timestamptz, r real);
      INSERT INTO t VALUES (1, '2020-01-02', '2020-01-02 03:04:05.5', '2020-01-02 03:04:05.5+02', '7038531e-32'),
                           (2, NULL, NULL, NULL, NULL),
                           (3, '0044-03-15', '0044-03-15 10:00', '0044-03-15 10:00+00', '3.4028235e38');`);
    dst = await scratchMy('proof');
    tmp = await mkdtemp(join(tmpdir(), 'pgmy-proof-'));
    await migrate({ source: src.url, target: dst.url, out: join(tmp, 'snap'), jobs: 1 });
  });
  after(async () => {
    await src?.drop();
    await dst?.drop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('a real whose decimal text rounds twice in a double (7038531e-32) is equal, not a difference', async () => {
    const v = await verify({ source: src.url, target: dst.url });
    assert.equal(v.match, true, JSON.stringify(v.tables[0]?.differences));
  });

  it('infinity is not NULL and a BC date is not its AD twin', async () => {
    await src.query(`UPDATE t SET d = 'infinity', ts = 'infinity', tz = '-infinity' WHERE id = 2;
      UPDATE t SET d = '0044-03-15 BC', ts = '0044-03-15 10:00 BC', tz = '0044-03-15 10:00+00 BC' WHERE id = 3;`);
    const v = await verify({ source: src.url, target: dst.url });
    assert.equal(v.match, false);
    const found = v.tables[0]?.differences.map((d) => `${String(d.key?.id)}.${d.column}`).sort();
    assert.deepEqual(found, ['2.d', '2.ts', '2.tz', '3.d', '3.ts', '3.tz']);
  });
});

describe('verify says what it did not compare, and what a policy changed', () => {
  let src: ScratchPg;
  let tmp: string;
  before(async () => {
    src = await scratchPg('proof2');
    await src.query(`CREATE TABLE f (id int PRIMARY KEY, x double precision, b bytea);
      INSERT INTO f VALUES (1, 1.5, '\\x00ff'), (2, 'NaN', '\\xdeadbeef'), (3, NULL, NULL);
      CREATE TABLE g (id int PRIMARY KEY); INSERT INTO g VALUES (1), (2);`);
    tmp = await mkdtemp(join(tmpdir(), 'pgmy-proof2-'));
  });
  after(async () => {
    await src?.drop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('values --on-unrepresentable=null wrote as NULL are counted by column; a bytea cast to VARBINARY compares equal', async () => {
    const dst = await scratchMy('proof2');
    try {
      await migrate({ source: src.url, target: dst.url, out: join(tmp, 'nulls'), onUnrepresentable: 'null', casts: new Map([['f.b', 'VARBINARY(64)']]) });
      const v = await verify({ source: src.url, target: dst.url, dir: join(tmp, 'nulls') });
      assert.equal(v.match, true, JSON.stringify(v.tables));
      assert.deepEqual(v.tables.find((t) => t.table === 'f')?.nulledByPolicy, [{ column: 'x', rows: 1 }]);
      const r = await cli('verify', '--source', src.url, '--target', dst.url, join(tmp, 'nulls'));
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /f\.x: 1 value\(s\) MySQL cannot hold were written as NULL \(--on-unrepresentable=null\)/);
    } finally {
      await dst.drop();
    }
  });

  it('a table missing from the target is a difference (exit 3), not a failure', async () => {
    const dst = await scratchMy('proof3');
    try {
      await migrate({ source: src.url, target: dst.url, out: join(tmp, 'gone'), onUnrepresentable: 'null' });
      await dst.query('DROP TABLE g');
      const v = await verify({ source: src.url, target: dst.url, dir: join(tmp, 'gone') });
      const g = v.tables.find((t) => t.table === 'g');
      assert.equal(v.match, false);
      assert.deepEqual([g?.method, g?.sourceRows, g?.targetRows, g?.differences[0]?.kind], ['not compared: no such table in the target', 2, 0, 'table-missing-in-target']);
      assert.equal(v.tables.find((t) => t.table === 'f')?.match, true);
      const r = await cli('verify', '--source', src.url, '--target', dst.url, join(tmp, 'gone'));
      assert.equal(r.code, 3, r.err);
      assert.match(r.out, /g: table-missing-in-target/);
    } finally {
      await dst.drop();
    }
  });
});
