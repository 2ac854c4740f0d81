import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanSource } from '../../src/plan/scan.js';
import { valueGuard } from '../../src/dump/value-guard.js';
import { qualifiedName } from '../../src/model/catalog.js';
import { introspect } from '../../src/source/postgres/introspect.js';
import { connectPg, pgTarget, type PgClient } from '../../src/source/postgres/connect.js';
import { beginSnapshot, exportSnapshot, joinSnapshot } from '../../src/source/postgres/snapshot.js';
import { scratchPg } from '../helpers/servers.js';

/** The scan's findings as plain data, for comparing one session's scan with several sessions'. */
function plain(result: Awaited<ReturnType<typeof scanSource>>): unknown {
  return {
    rows: [...result.rows].sort(),
    columns: [...result.columns].sort().map(([t, cols]) => [t, [...cols].sort().map(([c, s]) => [c, s.stats, s.failures.map((f) => [f.check.id, f.rows, f.example])])]),
  };
}

describe('the scan on several sessions of one snapshot', () => {
  it('finds what one session finds, with large tables split by page ranges (ordinary tables) or key ranges (partitioned)', async () => {
    const src = await scratchPg('scansessions');
    const sessions: PgClient[] = [];
    try {
      await src.query(`
        CREATE TABLE big (id bigint PRIMARY KEY, amount numeric, ratio float8, code text UNIQUE);
        INSERT INTO big SELECT i, CASE WHEN i = 7777 THEN 123456789.123 ELSE i / 8.0 END,
          CASE WHEN i IN (10, 9990) THEN 'NaN'::float8 ELSE i END, repeat('k', i % 300) || i FROM generate_series(1, 10000) i;
        CREATE TABLE textkey (k text PRIMARY KEY, ratio float8);
        INSERT INTO textkey VALUES ('a', 1), ('b', 'Infinity');
        CREATE TABLE parted (id int PRIMARY KEY, amount numeric) PARTITION BY RANGE (id);
        CREATE TABLE parted_1 PARTITION OF parted FOR VALUES FROM (1) TO (5000);
        CREATE TABLE parted_2 PARTITION OF parted FOR VALUES FROM (5000) TO (20000);
        INSERT INTO parted SELECT i, CASE WHEN i = 4321 THEN 98765.4321 ELSE i / 4.0 END FROM generate_series(1, 10000) i;
        CREATE TABLE never_analysed (id int);
        INSERT INTO never_analysed SELECT generate_series(1, 42);
        ANALYZE big; ANALYZE textkey; ANALYZE parted;`);
      const main = await connectPg(pgTarget(src.url));
      sessions.push(main);
      await beginSnapshot(main);
      const id = await exportSnapshot(main);
      for (let i = 0; i < 2; i++) sessions.push(await joinSnapshot(pgTarget(src.url), id, 'test'));
      // Rows written after the snapshot are seen by none of the sessions.
      await src.query("INSERT INTO big VALUES (20000, 'NaN', 'NaN', 'late')");
      const catalog = await introspect(main, { schemas: ['public'] });

      const one = await scanSource(main, catalog);
      // What the sessions are asked, to see how each table was split (the servers' answers are real).
      const asked: string[] = [];
      for (const s of sessions) {
        const query = s.query.bind(s) as (...a: unknown[]) => unknown;
        s.query = ((...a: unknown[]) => { if (typeof a[0] === 'string') asked.push(a[0]); return query(...a); }) as typeof s.query;
      }
      const started: string[] = [];
      const three = await scanSource(sessions, catalog, { splitBytes: 0, onTable: (t) => started.push(t) });
      assert.deepEqual(plain(three), plain(one));
      assert.deepEqual(started.sort(), ['public.big', 'public.never_analysed', 'public.parted', 'public.textkey'], 'each table is announced once');
      const scans = (table: string) => asked.filter((q) => q.startsWith('SELECT count(*)') && q.includes(`."${table}"`));
      // PostgreSQL 14 and later: an ordinary table by pages (a TID Range Scan); a partitioned one by keys.
      assert.deepEqual(scans('big').map((q) => q.replace(/.* WHERE /, '').replace(/\d+/g, 'N')),
        ["ctid < '(N,N)'", "ctid >= '(N,N)' AND ctid < '(N,N)'", "ctid >= '(N,N)'"], 'big: three page ranges');
      assert.deepEqual(scans('parted').map((q) => q.replace(/.* WHERE /, '').replace(/\d+/g, 'N')),
        ['"id" < N', '"id" >= N AND "id" < N', '"id" >= N'], 'parted: three key ranges');
      assert.equal(three.columns.get('public.parted')?.get('amount')?.stats?.maxIntDigits, 5, 'the largest value, in its partition and range');

      // Two sessions: pages split an ordinary table; keys would cost more than they save.
      asked.length = 0;
      const two = await scanSource(sessions.slice(0, 2), catalog, { splitBytes: 0 });
      assert.deepEqual(plain(two), plain(one));
      assert.equal(scans('big').length, 2, 'big: two page ranges');
      assert.equal(scans('parted').length, 1, 'parted: one scan');

      const big = three.columns.get('public.big');
      assert.equal(three.rows.get('public.big'), 10000, 'the snapshot: the late row is not counted');
      assert.equal(three.rows.get('public.never_analysed'), 42);
      assert.deepEqual(big?.get('ratio')?.failures.find((f) => f.check.id === 'nan')?.rows, 2);
      assert.equal(big?.get('amount')?.stats?.maxIntDigits, 9, 'the largest value, wherever its range');
      const longest = (await src.query<{ n: number }>("SELECT max(char_length(code)) AS n FROM big WHERE code <> 'late'")).rows[0]?.n;
      assert.equal(big?.get('code')?.stats?.maxLength, longest);
      assert.equal(three.columns.get('public.textkey')?.get('ratio')?.failures.find((f) => f.check.id === 'infinity')?.example, 'k=b');

      // Checks left to the dump's COPY: only sizes and counts are read, and the tables with checks are named.
      const sizesOnly = await scanSource(sessions, catalog, { splitBytes: 0, deferChecks: true });
      // Those checks are the dump's COPY's now: the tables that have some are big, parted and textkey.
      const guarded = catalog.tables.filter((t) => valueGuard(t, catalog.server.versionNum) !== undefined).map(qualifiedName);
      assert.deepEqual(guarded.sort(), ['public.big', 'public.parted', 'public.textkey']);
      assert.equal(sizesOnly.columns.get('public.big')?.get('amount')?.stats?.maxIntDigits, 9);
      assert.equal(sizesOnly.columns.get('public.big')?.get('code')?.stats?.maxLength, longest);
      assert.deepEqual([...sizesOnly.columns.get('public.big') ?? []].flatMap(([, c]) => c.failures), [], 'no value checks run');
      assert.deepEqual([...sizesOnly.columns.get('public.textkey')?.keys() ?? []], ['k'], 'only the key is measured, not the checked column');
      assert.equal(sizesOnly.rows.get('public.never_analysed'), 42, 'a table never analysed is still counted');
    } finally {
      await Promise.all(sessions.map((s) => s.end().catch(() => undefined)));
      await src.drop();
    }
  });
});
