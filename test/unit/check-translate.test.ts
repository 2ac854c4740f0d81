import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { translateCheck } from '../../src/mapping/check-translate.js';

describe('translateCheck', () => {
  const cols = ['qty', 'price', 'status', 'Mixed Case', 'starts', 'ends'];
  const cases: Array<[string, string | undefined]> = [
    ['CHECK ((qty >= 0))', '(`qty` >= 0)'],
    ['CHECK ((price > (0)::numeric))', '(`price` > (0))'],
    ['CHECK (((VALUE >= 1901) AND (VALUE <= 2155)))', '((`year` >= 1901) AND (`year` <= 2155))'],
    [`CHECK (((status)::text = 'it''s'::text) OR (status IS NULL))`, "((`status`) = 'it''s') OR (`status` IS NULL)"],
    ['CHECK (("Mixed Case" <> 0))', '(`Mixed Case` <> 0)'],
    ['CHECK ((starts < ends))', '(`starts` < `ends`)'],
    ['CHECK ((NOT (qty = 3)))', '(NOT (`qty` = 3))'],
    ["CHECK (((status)::text > 'm'::text))", undefined],
    ["CHECK ((status ~ '^[A-Z]+$'::text))", undefined],
    ['CHECK ((length(status) > 2))', undefined],
    ["CHECK (((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])))", "((`status`) IN ('a', 'b'))"],
    ["CHECK (((status)::text = ANY (ARRAY[('free'::character varying)::text, ('pro'::character varying)::text])))", "((`status`) IN ('free', 'pro'))"],
    ["CHECK (((status)::text <> ALL (ARRAY['x'::text, 'y'::text])))", "((`status`) NOT IN ('x', 'y'))"],
    ['CHECK ((qty = ANY (ARRAY[1, 2, 3])))', '(`qty` IN (1, 2, 3))'],
    ["CHECK ((qty > '-40'::integer))", '(`qty` > -40)'],
    ["CHECK ((qty > 'abc'::integer))", undefined],
    // Casts that change the comparison are refused: DECIMAL compares exactly where float8 rounds.
    ['CHECK (((price)::double precision > (10.2)::double precision))', undefined],
    ['CHECK (((qty)::text = (price)::text))', undefined],
    ['CHECK ((qty = ANY (ARRAY[qty, 2])))', undefined],
    ['CHECK ((qty = ANY (other_array)))', undefined],
    ['CHECK ((qty < ANY (ARRAY[1, 2])))', undefined],
    ['CHECK ((other > 0))', undefined],
    ['CHECK ((qty > 0)) NOT VALID', undefined],
  ];
  const types = new Map([['qty', 'int4'], ['price', 'numeric'], ['status', 'varchar'], ['Mixed Case', 'int4'], ['starts', 'date'], ['ends', 'date'], ['year', 'int4']]);
  for (const [def, expected] of cases) {
    it(def, () => assert.equal(translateCheck(def, [...cols, 'year'], def.includes('VALUE') ? 'year' : undefined, types), expected));
  }
});
