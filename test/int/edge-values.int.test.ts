import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { verify } from '../../src/verify/verify.js';
import { cli, scratchMy, scratchPg, type ScratchMy, type ScratchPg } from '../helpers/servers.js';

/**
 * One case per type and edge value. A "carried" case must read back from MySQL with the same meaning
 * (pgmy verify compares by meaning; `expect` adds a direct check of what MySQL holds). A "refused" case must
 * block the migration with a message naming its table and column.
 */
interface Carried {
  readonly name: string;
  readonly type: string;
  readonly values: readonly string[];
  /** MySQL expression over column v, and the text it must give for each value, in order. */
  readonly expect?: { readonly sql: string; readonly texts: ReadonlyArray<string | null> };
  readonly setup?: string;
}

const CARRIED: readonly Carried[] = [
  { name: 'smallint', type: 'smallint', values: ['-32768', '32767', '0'] },
  { name: 'integer', type: 'integer', values: ['-2147483648', '2147483647'] },
  { name: 'bigint', type: 'bigint', values: ['-9223372036854775808', '9223372036854775807'],
    expect: { sql: 'CAST(v AS CHAR)', texts: ['-9223372036854775808', '9223372036854775807'] } },
  { name: 'numeric_65_30', type: 'numeric(65,30)', values: ["'99999999999999999999999999999999999.999999999999999999999999999999'", "'-0.000000000000000000000000000001'"],
    expect: { sql: 'CAST(v AS CHAR)', texts: ['99999999999999999999999999999999999.999999999999999999999999999999', '-0.000000000000000000000000000001'] } },
  { name: 'numeric_free', type: 'numeric', values: ["'12345678901234567890.5'", "'0.000000000000000000000000000001'", "'-7'", 'NULL'],
    expect: { sql: 'CAST(v AS CHAR)', texts: ['12345678901234567890.500000000000000000000000000000', '0.000000000000000000000000000001', '-7.000000000000000000000000000000', null] } },
  { name: 'real_extremes', type: 'real', values: ["'3.4028235e+38'", "'-3.4028235e+38'", "'1.4e-45'", "'1.17549435e-38'", "'0.1'", "'16777216'"],
    expect: { sql: 'CAST(CAST(v AS DOUBLE) AS CHAR)', texts: ['3.4028234663852886e38', '-3.4028234663852886e38', '1.401298464324817e-45', '1.1754943508222875e-38', '0.10000000149011612', '16777216'] } },
  { name: 'double_extremes', type: 'double precision', values: ["'1.7976931348623157e308'", "'5e-324'", "'2.2250738585072014e-308'", "'0.1'", "'-1.5'"],
    expect: { sql: 'CAST(v AS CHAR)', texts: ['1.7976931348623157e308', '5e-324', '2.2250738585072014e-308', '0.1', '-1.5'] } },
  { name: 'boolean', type: 'boolean', values: ['true', 'false', 'NULL'], expect: { sql: 'CAST(v AS CHAR)', texts: ['1', '0', null] } },
  { name: 'char5', type: 'char(5)', values: ["'ab'", "''", "'abcde'", "'  x'"], expect: { sql: 'v', texts: ['ab', '', 'abcde', '  x'] } },
  { name: 'char300', type: 'char(300)', values: ["'padded'"], expect: { sql: 'v', texts: ['padded'] } },
  { name: 'varchar_4byte', type: 'varchar(10)', values: ["'😀😀😀😀😀😀😀😀😀😀'", "''"], expect: { sql: 'CHAR_LENGTH(v)', texts: ['10', '0'] } },
  { name: 'varchar_huge', type: 'varchar(100000)', values: ["repeat('é', 70000)"], expect: { sql: 'CHAR_LENGTH(v)', texts: ['70000'] } },
  { name: 'text_controls', type: 'text', values: ["(SELECT string_agg(chr(i), '') FROM generate_series(1, 127) i)", "repeat('long ', 40000)", "E'\\\\.'", "E'line\\r\\n'"] },
  { name: 'bytea_edges', type: 'bytea', values: ["(SELECT string_agg(set_byte('\\x00'::bytea, 0, b), ''::bytea) FROM generate_series(0, 255) b)", "''::bytea", "decode(repeat('5c0a09', 100000), 'hex')", 'NULL'],
    expect: { sql: 'LENGTH(v)', texts: ['256', '0', '300000', null] } },
  { name: 'date_edges', type: 'date', values: ["'0001-01-01'", "'9999-12-31'", "'2000-02-29'"], expect: { sql: 'CAST(v AS CHAR)', texts: ['0001-01-01', '9999-12-31', '2000-02-29'] } },
  { name: 'timestamp_edges', type: 'timestamp', values: ["'0001-01-01 00:00:00'", "'9999-12-31 23:59:59.999999'", "'2024-02-29 12:34:56.000001'"],
    expect: { sql: 'CAST(v AS CHAR)', texts: ['0001-01-01 00:00:00.000000', '9999-12-31 23:59:59.999999', '2024-02-29 12:34:56.000001'] } },
  { name: 'timestamp3', type: 'timestamp(3)', values: ["'2024-01-01 00:00:00.123'"], expect: { sql: 'CAST(v AS CHAR)', texts: ['2024-01-01 00:00:00.123'] } },
  { name: 'timestamptz_zones', type: 'timestamptz', values: ["'2024-03-31 02:30:00+02'", "'1999-12-31 23:59:59.999999-12'", "'0001-01-02 00:00:00+00'"],
    expect: { sql: 'CAST(v AS CHAR)', texts: ['2024-03-31 00:30:00.000000', '2000-01-01 11:59:59.999999', '0001-01-02 00:00:00.000000'] } },
  { name: 'time_edges', type: 'time', values: ["'00:00:00'", "'23:59:59.999999'", "'24:00:00'"], expect: { sql: 'CAST(v AS CHAR)', texts: ['00:00:00.000000', '23:59:59.999999', '24:00:00.000000'] } },
  { name: 'timetz', type: 'timetz', values: ["'12:00:00+02'", "'23:59:59.999999-12:30'"], expect: { sql: 'v', texts: ['12:00:00+02', '23:59:59.999999-12:30'] } },
  { name: 'interval', type: 'interval', values: ["'1 year 2 mons 3 days 04:05:06.789'", "'-1 day +1 hour'", "'0'", "'-178000000 years'"],
    expect: { sql: 'v', texts: ['P1Y2M3DT4H5M6.789S', 'P-1DT1H', 'PT0S', 'P-178000000Y'] } },
  { name: 'uuid', type: 'uuid', values: ["'00000000-0000-0000-0000-000000000000'", "'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF'"], expect: { sql: 'v', texts: ['00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff'] } },
  { name: 'json_text', type: 'json', values: [`'{"b":1,  "a":[1,2.50,null],"a":"dup","c":"\\u00e9\\t"}'`, `'123456789012345678901234567890.123'`, `'"str"'`, `'null'`],
    expect: { sql: 'CAST(v AS CHAR)', texts: ['{"b":1,  "a":[1,2.50,null],"a":"dup","c":"\\u00e9\\t"}', '123456789012345678901234567890.123', '"str"', 'null'] } },
  { name: 'jsonb', type: 'jsonb', values: [`'{"b":1,"a":[1,2.50,null],"c":"é"}'`, `'1e400'`], expect: { sql: 'CAST(v AS CHAR)', texts: ['{"a": [1, 2.50, null], "b": 1, "c": "é"}', '1' + '0'.repeat(400)] } },
  { name: 'enum_labels', type: 'edge_mood', setup: "CREATE TYPE edge_mood AS ENUM ('it''s', 'ünï', 'a,b', 'A', 'a')", values: ["'it''s'", "'ünï'", "'a,b'", "'A'", "'a'"],
    expect: { sql: 'v', texts: ["it's", 'ünï', 'a,b', 'A', 'a'] } },
  { name: 'money', type: 'money', values: ["'12.34'", "'-92233720368547758.08'", "'92233720368547758.07'"],
    expect: { sql: 'CAST(v AS CHAR)', texts: ['12.34', '-92233720368547758.08', '92233720368547758.07'] } },
  { name: 'bits', type: 'bit(8)', values: ["B'10101010'", "B'00000000'"], expect: { sql: 'v', texts: ['10101010', '00000000'] } },
  { name: 'varbits', type: 'bit varying', values: ["B'1'", "B''", "B'0101010101010101010101010101010101010101010101010101010101010101010101'"] },
  { name: 'inet', type: 'inet', values: ["'192.168.1.1'", "'::1/128'", "'10.1.2.3/8'"], expect: { sql: 'v', texts: ['192.168.1.1', '::1', '10.1.2.3/8'] } },
  { name: 'cidr', type: 'cidr', values: ["'10.0.0.0/8'", "'2001:db8::/32'"], expect: { sql: 'v', texts: ['10.0.0.0/8', '2001:db8::/32'] } },
  { name: 'macaddr', type: 'macaddr', values: ["'08:00:2B:01:02:03'"], expect: { sql: 'v', texts: ['08:00:2b:01:02:03'] } },
  { name: 'macaddr8', type: 'macaddr8', values: ["'08:00:2b:01:02:03:04:05'"] },
  { name: 'xml', type: 'xml', values: [`'<a b="1">t&amp;</a>'`], expect: { sql: 'v', texts: ['<a b="1">t&amp;</a>'] } },
  { name: 'tsvector', type: 'tsvector', values: ["'a fat cat sat'", "to_tsvector('english', 'The quick brown foxes')"], expect: { sql: 'v', texts: ["'a' 'cat' 'fat' 'sat'", "'brown':3 'fox':4 'quick':2"] } },
  { name: 'tsquery', type: 'tsquery', values: ["'fat & (rat | cat)'"] },
  { name: 'int_array', type: 'integer[]', values: ["'{1,NULL,3}'", "'{}'", "'{{1,2},{3,4}}'"], expect: { sql: 'CAST(v AS CHAR)', texts: ['[1,null,3]', '[]', '[[1,2],[3,4]]'] } },
  { name: 'text_array', type: 'text[]', values: [`ARRAY['a"b', NULL, 'c,d', E'e\\\\f', '']`], expect: { sql: 'CAST(v AS CHAR)', texts: ['["a\\"b",null,"c,d","e\\\\f",""]'] } },
  { name: 'numeric_array', type: 'numeric[]', values: ["'{1.50,12345678901234567890.1}'"], expect: { sql: 'CAST(v AS CHAR)', texts: ['[1.50,12345678901234567890.1]'] } },
  { name: 'composite', type: 'edge_pair', setup: 'CREATE TYPE edge_pair AS (a integer, b text)', values: ["ROW(1, 'x')::edge_pair", "ROW(NULL, NULL)::edge_pair"],
    expect: { sql: 'CAST(v AS CHAR)', texts: ['{"a":1,"b":"x"}', '{"a":null,"b":null}'] } },
  { name: 'int4range', type: 'int4range', values: ["int4range(1, 5)", "'empty'", "'(,10]'"], expect: { sql: 'v', texts: ['[1,5)', 'empty', '(,11)'] } },
  { name: 'tstzrange', type: 'tstzrange', values: ["tstzrange('2024-01-01 00:00+00', '2024-02-01 00:00+00')"] },
  { name: 'multirange', type: 'int4multirange', values: ["'{[1,2),[5,6)}'"] },
  { name: 'domain_varchar', type: 'edge_code', setup: "CREATE DOMAIN edge_code AS varchar(8) CHECK (VALUE ~ '^[A-Z]+$')", values: ["'ABC'"], expect: { sql: 'v', texts: ['ABC'] } },
  { name: 'point', type: 'point', values: ["'(1.5,-2)'", "'(0.1,1e300)'"], expect: { sql: 'v', texts: ['(1.5,-2)', '(0.1,1e+300)'] } },
  { name: 'polygon', type: 'polygon', values: ["'((0,0),(1,1),(1,0))'"] },
  { name: 'circle', type: 'circle', values: ["'<(1,2),3>'"] },
  { name: 'oid', type: 'oid', values: ["'4294967295'", "'0'"], expect: { sql: 'CAST(v AS CHAR)', texts: ['4294967295', '0'] } },
  { name: 'regclass', type: 'regclass', values: ["'pg_class'"], expect: { sql: 'v', texts: ['pg_class'] } },
  { name: 'hstore_map', type: 'hstore', setup: 'CREATE EXTENSION IF NOT EXISTS hstore', values: [`'a=>1, "b c"=>NULL, "q\\"t"=>""'`],
    expect: { sql: 'CAST(v AS CHAR)', texts: ['{"a": "1", "b c": null, "q\\"t": ""}'] } },
];

const refusalTables = [
  ['r_nan', 'double precision', "'NaN'", /NaN, which MySQL cannot store \(first: id=1\)/],
  ['r_inf', 'double precision', "'-Infinity'", /Infinity or -Infinity/],
  ['r_negzero', 'double precision', "'-0'", /-0, which MySQL and MariaDB store as 0/],
  ['r_real_nan', 'real', "'NaN'", /NaN/],
  ['r_num_nan', 'numeric', "'NaN'", /NaN/],
  ['r_num_inf', 'numeric', "'Infinity'", /Infinity/],
  ['r_num_wide', 'numeric', "('1' || repeat('0', 70))::numeric", /71 digits with 0 after the point/],
  ['r_num_scale', 'numeric', "('0.' || repeat('0', 40) || '1')::numeric", /with 41 after the point/],
  ['r_date_inf', 'date', "'infinity'", /dates before 0001-01-01/],
  ['r_date_bc', 'date', "'0044-03-15 BC'", /dates before 0001-01-01/],
  ['r_ts_future', 'timestamp', "'10000-01-01 00:00:00'", /after 9999-12-31/],
  ['r_tstz_bc', 'timestamptz', "'0001-01-01 00:00:00+00 BC'", /dates before/],
  ['r_array_bounds', 'integer[]', "'[0:1]={1,2}'", /arrays whose index does not start at 1/],
] as const;

describe('edge values: carried with the same meaning', () => {
  let src: ScratchPg;
  let dst: ScratchMy;
  let tmp: string;

  before(async () => {
    src = await scratchPg('edges');
    // The source's own time zone must not matter.
    await src.query(`ALTER DATABASE ${src.name} SET TimeZone = 'America/St_Johns'`);
    for (const c of CARRIED) {
      if (c.setup) await src.query(c.setup);
      await src.query(`CREATE TABLE ${c.name} (id serial PRIMARY KEY, v ${c.type})`);
      for (const v of c.values) await src.query(`INSERT INTO ${c.name} (v) VALUES (${v})`);
    }
    // Names MySQL must quote; a generated column; an identity column.
    await src.query(`CREATE TABLE "select" ("from" int PRIMARY KEY, "MixedCase" text, "we\`ird ""col""" text, "${'x'.repeat(63)}" int)`);
    await src.query(`INSERT INTO "select" VALUES (1, 'a', 'b', 2)`);
    await src.query('CREATE TABLE gen (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, a int, b int GENERATED ALWAYS AS (a * 2) STORED)');
    await src.query('INSERT INTO gen (a) SELECT generate_series(1, 5)');
    await src.query(`COMMENT ON TABLE gen IS 'generated values, ''quoted'''; COMMENT ON COLUMN gen.b IS 'twice a'`);
    dst = await scratchMy('edges');
    tmp = await mkdtemp(join(tmpdir(), 'pgmy-edges-'));
    const m = await cli('migrate', '--source', src.url, '--target', dst.url, '--out', join(tmp, 'snap'), '--quiet');
    assert.equal(m.code, 0, m.err + m.out);
  });
  after(async () => {
    await src?.drop();
    await dst?.drop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('every table is equal by meaning (pgmy verify)', async () => {
    const result = await verify({ source: src.url, target: dst.url, dir: join(tmp, 'snap') });
    const bad = result.tables.filter((t) => !t.match);
    assert.deepEqual(bad.map((t) => ({ table: t.table, d: t.differences })), []);
    assert.equal(result.tables.length, CARRIED.length + 2);
  });

  for (const c of CARRIED.filter((x) => x.expect)) {
    it(`${c.name} (${c.type}) reads back as expected from MySQL`, async () => {
      const rows = await dst.query<{ t: string | Buffer | null }>(`SELECT ${c.expect?.sql.replaceAll('v', '`v`')} AS t FROM \`${c.name}\` ORDER BY id`);
      const got = rows.map((r) => (r.t === null ? null : Buffer.isBuffer(r.t) ? r.t.toString('utf8') : String(r.t)));
      assert.deepEqual(got, c.expect?.texts);
    });
  }

  it('keeps generated values, comments and odd names', async () => {
    const gen = await dst.query<{ b: number }>('SELECT b FROM gen ORDER BY id');
    assert.deepEqual(gen.map((r) => Number(r.b)), [2, 4, 6, 8, 10]);
    const [tc] = await dst.query<{ c: string }>("SELECT TABLE_COMMENT AS c FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'gen'");
    const [cc] = await dst.query<{ c: string }>("SELECT COLUMN_COMMENT AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'gen' AND COLUMN_NAME = 'b'");
    assert.deepEqual([tc?.c, cc?.c], ["generated values, 'quoted'", 'twice a']);
    const odd = await dst.query<Record<string, unknown>>('SELECT * FROM `select`');
    assert.deepEqual(Object.keys(odd[0] ?? {}), ['from', 'MixedCase', 'we`ird "col"', 'x'.repeat(63)]);
  });
});

describe('edge values: refused by name before any data moves', () => {
  let src: ScratchPg;
  let tmp: string;
  let planOut = '';

  before(async () => {
    src = await scratchPg('refuse');
    for (const [table, type, value] of refusalTables) {
      await src.query(`CREATE TABLE ${table} (id int PRIMARY KEY, v ${type}); INSERT INTO ${table} VALUES (1, ${value}), (2, NULL)`);
    }
    tmp = await mkdtemp(join(tmpdir(), 'pgmy-refuse-'));
    const p = await cli('plan', '--source', src.url);
    assert.equal(p.code, 4, 'plan exits 4 when blocked');
    planOut = p.out;
  });
  after(async () => {
    await src?.drop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  for (const [table, type, , problem] of refusalTables) {
    it(`${table} (${type}): plan names public.${table}.v and the problem`, () => {
      const blockers = planOut.slice(planOut.indexOf('BLOCKERS'));
      const line = blockers.split('\n').find((l) => l.startsWith(`  - public.${table}.v:`));
      assert.ok(line, `a blocker line for public.${table}.v in:\n${planOut}`);
      assert.match(line, problem);
    });
  }

  it('dump refuses with the same messages and writes nothing', async () => {
    const out = join(tmp, 'snap');
    const d = await cli('dump', '--source', src.url, '--out', out);
    assert.equal(d.code, 4);
    for (const [table] of refusalTables) assert.match(d.err, new RegExp(`public\\.${table}\\.v: `));
    assert.deepEqual(await readdir(out).catch(() => []), []);
  });

  it('--on-unrepresentable=null carries the table with NULL for exactly those values', async () => {
    const dst = await scratchMy('nullpolicy');
    try {
      const out = join(tmp, 'nulls');
      const m = await cli('migrate', '--source', src.url, '--target', dst.url, '--out', out, '--quiet', '--on-unrepresentable', 'null',
        '--tables', 'r_nan,r_negzero,r_date_bc,r_array_bounds');
      assert.equal(m.code, 0, m.err);
      for (const t of ['r_nan', 'r_negzero', 'r_date_bc', 'r_array_bounds']) {
        const rows = await dst.query<{ v: unknown }>(`SELECT v FROM ${t} ORDER BY id`);
        assert.deepEqual(rows.map((r) => r.v), [null, null], t);
      }
      const v = await verify({ source: src.url, target: dst.url, dir: out });
      assert.ok(v.match, JSON.stringify(v.tables.filter((t) => !t.match)));
    } finally {
      await dst.drop();
    }
  });

  it('--on-unrepresentable=text carries those columns as their PostgreSQL text', async () => {
    const dst = await scratchMy('textpolicy');
    try {
      const out = join(tmp, 'texts');
      const m = await cli('migrate', '--source', src.url, '--target', dst.url, '--out', out, '--quiet', '--on-unrepresentable', 'text',
        '--tables', 'r_inf,r_num_wide,r_date_inf');
      assert.equal(m.code, 0, m.err);
      const got = await Promise.all(['r_inf', 'r_num_wide', 'r_date_inf'].map(async (t) => (await dst.query<{ v: string }>(`SELECT v FROM ${t} WHERE id = 1`))[0]?.v));
      assert.deepEqual(got, ['-Infinity', '1' + '0'.repeat(70), 'infinity']);
    } finally {
      await dst.drop();
    }
  });
});
