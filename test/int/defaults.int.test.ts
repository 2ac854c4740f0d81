import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { migrate } from '../../src/migrate/migrate.js';
import { plan } from '../../src/plan/run-plan.js';
import { verify } from '../../src/verify/verify.js';
import { scratchMy, scratchPg } from '../helpers/servers.js';

/** Literal defaults of every kind; the table has no primary key, so verify compares rows as a multiset. */
const DEFAULTS = `CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
  CREATE TABLE defs (
    marker int,
    i int DEFAULT 42, neg bigint DEFAULT -7, n numeric(10,2) DEFAULT 1.5, r real DEFAULT 1.1, d double precision DEFAULT 2.5e10,
    b boolean DEFAULT true, bf boolean DEFAULT 'f', t text DEFAULT 'it''s \\ ok', v varchar(10) DEFAULT '007', c char(4) DEFAULT 'ab',
    e mood DEFAULT 'ok', dt date DEFAULT '2020-02-29', ts timestamp(3) DEFAULT '2020-01-01 10:00:00.1234',
    tz timestamptz DEFAULT '2020-01-01 10:00:00+02', tm time DEFAULT '12:34:56', iv interval DEFAULT '00:05:00',
    iv2 interval DEFAULT '1 mon 2 days', u uuid DEFAULT 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11',
    j jsonb DEFAULT '{"a": [1, 2]}', js json DEFAULT '{"b":1}', a int[] DEFAULT '{1,2}', ta text[] DEFAULT '{}',
    ip inet DEFAULT '10.0.0.1', mac macaddr DEFAULT '08002b010203', m money DEFAULT 12.5, nul text DEFAULT NULL
  );
  INSERT INTO defs (marker) VALUES (1);
  CREATE TABLE lost (id int PRIMARY KEY, never date DEFAULT 'infinity', bits bit(3) DEFAULT B'101');
  -- A default its own domain refuses: evaluating it fails, so the batched probe falls back to one query per table.
  CREATE DOMAIN positive AS int CHECK (VALUE > 0);
  CREATE TABLE odd (id int PRIMARY KEY, p positive DEFAULT -1);`;

describe('column defaults give the same value on both sides (issue 15)', () => {
  it('a row inserted with every column omitted is the same row in PostgreSQL and MySQL', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'pgmy-defaults-'));
    const src = await scratchPg('defaults');
    const my = await scratchMy('defaults');
    try {
      await src.query(DEFAULTS);
      const p = await plan({ source: src.url, target: my.url });
      assert.equal(p.blocked, false, JSON.stringify(p.plan.target.notices.filter((n) => n.level === 'error')));
      const lostDefaults = p.plan.target.notices.filter((n) => /^default /.test(n.message)).map((n) => `${n.table ?? ''}.${n.column ?? ''}`);
      assert.deepEqual(lostDefaults, ['public.lost.never'], 'only the one MySQL cannot hold is listed');
      assert.equal(p.plan.target.tables.find((t) => t.name === 'lost')?.columns.find((c) => c.name === 'bits')?.defaultSql, "'101'");
      const defs = p.plan.target.tables.find((t) => t.name === 'defs');
      const sqlOf = (c: string) => defs?.columns.find((x) => x.name === c)?.defaultSql;
      // As pgmy dumps those values: ISO 8601 intervals, UTC, lower-case uuid, the JSON array.
      assert.deepEqual(['iv', 'iv2', 'tz', 'u', 'a', 'v', 'mac'].map(sqlOf),
        ["'PT5M'", "'P1M2D'", "'2020-01-01 08:00:00'", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", "('[1,2]')", "'007'", "'08:00:2b:01:02:03'"]);
      await migrate({ source: src.url, target: my.url, out: join(tmp, 'snap') });
      await src.query('INSERT INTO defs (marker) VALUES (2)');
      await my.query('INSERT INTO defs (marker) VALUES (2)');
      const v = await verify({ source: src.url, target: my.url });
      assert.equal(v.match, true, JSON.stringify(v.tables.filter((t) => !t.match)));
      assert.equal(v.tables.find((t) => t.table.endsWith('defs'))?.sourceRows, 2);
    } finally {
      await my.drop();
      await src.drop();
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
