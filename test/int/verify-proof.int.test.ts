import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { migrate } from '../../src/migrate/migrate.js';
import { verify } from '../../src/verify/verify.js';
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
