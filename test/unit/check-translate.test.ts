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
    ["CHECK (((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])))", undefined],
    ['CHECK ((other > 0))', undefined],
    ['CHECK ((qty > 0)) NOT VALID', undefined],
  ];
  for (const [def, expected] of cases) {
    it(def, () => assert.equal(translateCheck(def, [...cols, 'year'], def.includes('VALUE') ? 'year' : undefined), expected));
  }
});
