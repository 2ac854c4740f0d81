import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stripCast, translateDefault, type DefaultContext } from '../../src/mapping/defaults.js';

const ctx = (pgType: string, extra: Partial<DefaultContext> = {}): DefaultContext => ({ pgType, needsExpression: false, ...extra });

describe('translateDefault', () => {
  const cases: Array<[string, DefaultContext, string]> = [
    ["nextval('users_id_seq'::regclass)", ctx('int4'), 'sequence'],
    ['42', ctx('int4'), '42'],
    ["'-1'::integer", ctx('int4'), "'-1'"],
    ['(-1)', ctx('int4'), '-1'],
    ['4.99', ctx('numeric'), '4.99'],
    ['true', ctx('bool'), '1'],
    ['false', ctx('bool'), '0'],
    ["''::character varying", ctx('varchar'), "''"],
    ["'it''s'::text", ctx('text', { needsExpression: true }), "('it''s')"],
    ["'G'::public.mpaa_rating", ctx('enum'), "'G'"],
    ["'a\\b'::text", ctx('text'), "'a\\\\b'"],
    ['now()', ctx('timestamptz', { fractionalDigits: 6 }), '(UTC_TIMESTAMP(6))'],
    ['CURRENT_TIMESTAMP', ctx('timestamp', { fractionalDigits: 3 }), 'CURRENT_TIMESTAMP(3)'],
    ['CURRENT_DATE', ctx('date'), '(CURRENT_DATE)'],
    ['gen_random_uuid()', ctx('uuid'), '(UUID())'],
    ["'2020-01-01'::date", ctx('date'), "'2020-01-01'"],
    ["'\\x00'::bytea", ctx('bytea'), 'none'],
    ['lower(name)', ctx('text'), 'none'],
    ['now()', ctx('date'), 'none'],
    // Arrays are carried as JSON arrays: their defaults too (a PostgreSQL literal would be an object, or invalid JSON).
    ["'{}'::integer[]", ctx('array', { arrayOf: 'int4', needsExpression: true }), "('[]')"],
    ["'{1,2}'::integer[]", ctx('array', { arrayOf: 'int4', needsExpression: true }), "('[1,2]')"],
    [`'{a,"b c",NULL}'::text[]`, ctx('array', { arrayOf: 'text', needsExpression: true }), `('["a","b c",null]')`],
    ["'{t,f}'::boolean[]", ctx('array', { arrayOf: 'bool', needsExpression: true }), "('[true,false]')"],
    ["'{{1,2}}'::integer[]", ctx('array', { arrayOf: 'int4', needsExpression: true }), 'none'],
    ["'{x}'::integer[]", ctx('array', { arrayOf: 'int4', needsExpression: true }), 'none'],
    ["'{1.5}'::double precision[]", ctx('array', { arrayOf: 'float8', needsExpression: true }), 'none'],
    ['ARRAY[1, 2]', ctx('array', { arrayOf: 'int4', needsExpression: true }), 'none'],
  ];
  for (const [expr, c, expected] of cases) {
    it(`${expr} (${c.pgType})`, () => {
      const r = translateDefault(expr, c);
      if (expected === 'sequence' || expected === 'none') assert.equal(r.kind, expected);
      else assert.deepEqual(r, { kind: 'sql', sql: expected });
    });
  }
});

describe('stripCast', () => {
  for (const [input, out] of [
    ["'a'::character varying", "'a'"],
    ["'x'::timestamp without time zone", "'x'"],
    ["('1'::numeric)::double precision", "'1'"],
    ["'a::b'::text", "'a::b'"],
    ['(42)', '42'],
  ] as const) {
    it(input, () => assert.equal(stripCast(input), out));
  }
});
