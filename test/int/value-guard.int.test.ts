import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { guardFailure, valueGuard, type ValueGuard } from '../../src/dump/value-guard.js';
import { introspect } from '../../src/source/postgres/introspect.js';
import { connectPg, pgTarget, type PgClient } from '../../src/source/postgres/connect.js';
import type { Catalog } from '../../src/model/catalog.js';
import { cli, scratchPg, type ScratchPg } from '../helpers/servers.js';

/** The value checks inside the dump's COPY: a true condition for good rows, an error naming the row otherwise. */
describe('value guards in the COPY', () => {
  let src: ScratchPg;
  let client: PgClient;
  let catalog: Catalog;
  let tmp: string;

  before(async () => {
    src = await scratchPg('guard');
    await src.query(`
      CREATE TABLE good (id int PRIMARY KEY, f float8, d date, t timestamptz, n numeric(10,2), j jsonb);
      INSERT INTO good SELECT i, i / 3.0, date '2000-01-01' + i, timestamptz '2020-01-01' + i * interval '1 hour', i / 7.0,
        jsonb_build_object('i', i, 'deep', (repeat('[', 30) || repeat(']', 30))::jsonb) FROM generate_series(1, 500) i;
      INSERT INTO good VALUES (0, NULL, NULL, NULL, NULL, NULL),
        (-1, 0, '0001-01-01', '0001-01-01 00:00:00+00', 0, '[]'), (-2, -1e308, '9999-12-31', '9999-12-31 23:59:59.999999+00', -99999999.99, 'null');
      CREATE TABLE bad (id int PRIMARY KEY, kind text, f float4, n numeric, t timestamptz, d date);
      INSERT INTO bad VALUES (1, 'float NaN', 'NaN', 1, now(), now()), (2, 'float -Infinity', '-Infinity', 1, now(), now()),
        (3, 'float -0', '-0', 1, now(), now()), (4, 'numeric NaN', 1, 'NaN', now(), now()), (5, 'numeric Infinity', 1, 'Infinity', now(), now()),
        (6, 'timestamptz BC', 1, 1, '0001-12-31 23:00:00+00 BC', now()), (7, 'timestamptz after 9999', 1, 1, '9999-12-31 23:30:00-01', now()),
        (8, 'timestamptz infinity', 1, 1, 'infinity', now()), (9, 'date -infinity', 1, 1, now(), '-infinity');
      CREATE TABLE twokeys (a int, b text, f float8, PRIMARY KEY (a, b));
      INSERT INTO twokeys VALUES (1, 'x', 1), (2, 'it''s', '-0'), (3, 'z', 'NaN');
      CREATE TABLE nokey (j jsonb);
      INSERT INTO nokey VALUES ('{"a": 1}'), ((repeat('[', 32) || repeat(']', 32))::jsonb);
      -- A deep document stored compressed: its stored size says nothing of its depth.
      CREATE TABLE packed (id int PRIMARY KEY, j jsonb);
      INSERT INTO packed VALUES (1, (repeat('[', 40) || '"' || repeat('a', 5000) || '"' || repeat(']', 40))::jsonb);
      ANALYZE;`);
    client = await connectPg(pgTarget(src.url));
    catalog = await introspect(client, { schemas: ['public'] });
    tmp = await mkdtemp(join(tmpdir(), 'pgmy-guard-'));
  });
  after(async () => {
    await client?.end();
    await src?.drop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  const guardOf = (name: string): ValueGuard => {
    const t = catalog.tables.find((x) => x.name === name);
    assert.ok(t);
    const g = valueGuard(t, catalog.server.versionNum);
    assert.ok(g, `${name} has checks`);
    return g;
  };
  const failureOf = async (name: string): Promise<Error> => {
    const err = await client.query(`SELECT count(*) FROM ONLY "${name}" WHERE ${guardOf(name).where}`).then(() => undefined, (e: unknown) => e);
    const refused = guardFailure(guardOf(name), err);
    assert.ok(refused, `the guard on ${name} raised its own error: ${String(err)}`);
    return refused;
  };

  it('keeps every row of a table whose values MySQL can all hold', async () => {
    const all = await client.query<{ n: string }>(`SELECT count(*) AS n FROM good WHERE ${guardOf('good').where}`);
    assert.equal(Number(all.rows[0]?.n), 503, 'NULLs, 30-deep documents, 0 and the ends of the ranges pass');
  });

  it('names the column, the problem and the row by its whole key', async () => {
    const err = await failureOf('twokeys');
    assert.match(err.message, /^public\.twokeys\.f: column f holds (-0|NaN).* \(first: a=[23], b=(it's|z)\)/);
  });

  it('names a row of a table without a key by its ctid, and finds a deep document compressed or not', async () => {
    assert.match((await failureOf('nokey')).message, /nested more than 31 levels deep.*\(first: ctid \(0,2\)\)/);
    const stored = await client.query<{ c: string | null }>('SELECT pg_column_compression(j) AS c FROM packed');
    assert.notEqual(stored.rows[0]?.c, null, 'the test document is stored compressed');
    assert.match((await failureOf('packed')).message, /nested more than 31 levels deep.*\(first: id=1\)/);
  });

  it('finds each kind of value MySQL cannot hold, behind the prefilters of its type', async () => {
    const kinds = (await client.query<{ id: number; kind: string }>('SELECT id, kind FROM bad ORDER BY id')).rows;
    const bad = catalog.tables.find((x) => x.name === 'bad');
    assert.ok(bad);
    const guard = valueGuard(bad, catalog.server.versionNum);
    assert.ok(guard);
    for (const { id, kind } of kinds) {
      const err = await client.query(`SELECT count(*) FROM ONLY bad WHERE id = ${id} AND ${guard.where}`).then(() => undefined, (e: unknown) => e);
      assert.match(guardFailure(guard, err)?.message ?? String(err), new RegExp(`\\(first: id=${id}\\)`), kind);
    }
  });

  it('is not mistaken for another error', () => {
    assert.equal(guardFailure(guardOf('good'), new Error('invalid input syntax for type integer: "12a"')), undefined);
  });

  it('dump stops at such a value, names every one as plan does, and a run with a policy completes the folder', async () => {
    const out = join(tmp, 'snap');
    const d = await cli('dump', '--source', src.url, '--out', out, '--tables', 'good,twokeys,nokey');
    assert.equal(d.code, 4, d.err);
    assert.match(d.err, /so the dump stopped/);
    assert.match(d.err, /public\.twokeys\.f: column f holds 1 row\(s\) with NaN.*\(first: a=3, b=z\)/);
    assert.match(d.err, /public\.twokeys\.f: column f holds .*; 1 row\(s\) with -0/);
    assert.match(d.err, /public\.nokey\.j: column j holds 1 row\(s\) with JSON nested/);
    const again = await cli('dump', '--source', src.url, '--out', out, '--tables', 'good,twokeys,nokey', '--on-unrepresentable', 'null', '--quiet');
    assert.equal(again.code, 0, again.err);
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as { complete: boolean; data: Array<{ name: string; rows: number }> };
    assert.equal(manifest.complete, true);
    assert.deepEqual(manifest.data.map((x) => [x.name, x.rows]).sort(), [['good', 503], ['nokey', 2], ['twokeys', 3]]);
  });
});
