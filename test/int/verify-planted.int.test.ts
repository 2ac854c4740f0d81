import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { migrate } from '../../src/migrate/migrate.js';
import { verify } from '../../src/verify/verify.js';
import { cli, scratchMy, scratchPg } from '../helpers/servers.js';

/**
 * One small change per type family, planted in the target: verify must name the row and the column of each
 * (the test fails when a comparison is weakened, e.g. to a rounded or case-folded form).
 */
const PLANTS: ReadonlyArray<readonly [column: string, change: string]> = [
  ['i2', 'i2 + 1'], ['i4', 'i4 - 1'], ['i8', 'i8 + 1'], ['num', 'num + 0.0001'], ['r4', 'r4 * 1.0000001'], ['f8', 'f8 + 1e-9'],
  ['b', '1 - b'], ['t', "CONCAT(t, ' ')"], ['tc', 'UPPER(tc)'], ['vc', "REPLACE(vc, 'a', 'á')"], ['ch', "'abcd'"], ['ba', "CONCAT(ba, X'00')"],
  ['d', 'd + INTERVAL 1 DAY'], ['ts', 'ts + INTERVAL 1 MICROSECOND'], ['tz', 'tz - INTERVAL 1 MICROSECOND'], ['tm', 'tm + INTERVAL 1 SECOND'],
  ['u', "REPLACE(u, 'a', 'b')"], ['j', "JSON_SET(j, '$.k', 99)"], ['jb', "JSON_SET(jb, '$.n', 1.5)"], ['iv', "'P1DT2H'"],
  ['e', "'happy'"], ['arr', "'[1,2,4]'"], ['ip', "'10.0.0.9'"], ['m', 'm + 0.01'],
];

describe('verify finds a planted change of every type family (issue 16)', () => {
  it('each change is a difference at its key and column; the untouched target is equal', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'pgmy-plant-'));
    const src = await scratchPg('plant');
    const my = await scratchMy('plant');
    try {
      await src.query(`CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
        CREATE TABLE p (id int PRIMARY KEY, i2 smallint, i4 int, i8 bigint, num numeric(12,4), r4 real, f8 double precision, b boolean,
          t text, tc text, vc varchar(20), ch char(4), ba bytea, d date, ts timestamp(6), tz timestamptz, tm time, u uuid, j json, jb jsonb,
          iv interval, e mood, arr int[], ip inet, m money);
        INSERT INTO p SELECT g, g, g * 1000, g * 100000000000, g + 0.1234, g / 3.0, g / 7.0, g % 2 = 0, 'text ' || g, 'Case ' || g, 'vac' || g, 'ab',
          decode('00ff' || lpad(to_hex(g), 2, '0'), 'hex'), DATE '2020-01-01' + g, TIMESTAMP '2020-01-01 10:00:00.123456' + g * INTERVAL '1 hour',
          TIMESTAMPTZ '2020-01-01 10:00:00.5+02' + g * INTERVAL '1 day', TIME '12:00:00' + g * INTERVAL '1 minute',
          ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1' || g)::uuid, ('{"k": ' || g || '}')::json, ('{"n": ' || g || '}')::jsonb,
          g * INTERVAL '1 day 1 hour', 'ok', ARRAY[1, 2, 3], ('10.0.0.' || g)::inet, g * 1.25
          FROM generate_series(1, 3) g;`);
      await migrate({ source: src.url, target: my.url, out: join(tmp, 'snap') });
      assert.equal((await verify({ source: src.url, target: my.url })).match, true, 'equal before any change');
      // A copy to put each value back from (verify compares the source's tables only).
      await my.query('CREATE TABLE p_orig AS SELECT * FROM p');
      for (const [column, change] of PLANTS) {
        await my.query(`UPDATE p SET \`${column}\` = ${change} WHERE id = 2`);
        const v = await verify({ source: src.url, target: my.url });
        await my.query(`UPDATE p JOIN p_orig USING (id) SET p.\`${column}\` = p_orig.\`${column}\``);
        const differences = v.tables[0]?.differences ?? [];
        assert.equal(v.match, false, `a change of ${column} (${change}) was not found`);
        assert.deepEqual(differences.map((d) => [d.kind, d.key, d.column]), [['different', { id: '2' }, column]], `${column}: ${JSON.stringify(differences)}`);
      }
      const r = await cli('verify', '--source', src.url, '--target', my.url);
      assert.equal(r.code, 0, r.out + r.err);
      assert.match(r.err, /^verifying p \(1 of 1\)…$/m, 'progress per table');
      assert.match(r.err, /^ {2}p: 3 rows, equal \(/m);
    } finally {
      await my.drop();
      await src.drop();
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
