import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ruleFromV1 } from '../../src/model/dump-format/upgrade-v1.js';
import { describeRule, type ColumnRule } from '../../src/model/target.js';

describe('a column rule is data; its text is only for people (and for reading version 1 manifests)', () => {
  const cases: Array<[string, ColumnRule]> = [
    ['bigint', { kind: 'bigint', transform: 'native', flags: [] }],
    ['real+null', { kind: 'real', transform: 'native', flags: ['null'] }],
    ['numeric+text', { kind: 'numeric', transform: 'text', flags: [] }],
    ['varchar+row-size', { kind: 'varchar', transform: 'native', flags: ['row-size'] }],
    ['cast (pgmy: VARCHAR(20) by varchar)', { kind: 'varchar', transform: 'native', flags: [], castFrom: 'VARCHAR(20)' }],
    ['cast (pgmy: BIGINT by bigint)', { kind: 'bigint', transform: 'native', flags: [], castFrom: 'BIGINT' }],
    ['cast (pgmy: DOUBLE by double+null)', { kind: 'double', transform: 'native', flags: ['null'], castFrom: 'DOUBLE' }],
    ['cast (pgmy: VARCHAR(10) by varchar)+row-size', { kind: 'varchar', transform: 'native', flags: ['row-size'], castFrom: 'VARCHAR(10)' }],
    ['enum-as-varchar', { kind: 'enum-as-varchar', transform: 'native', flags: [] }],
  ];
  for (const [text, rule] of cases) {
    it(`${text}`, () => {
      assert.deepEqual(ruleFromV1(text), rule, 'version 1 text read as the structure');
      assert.equal(describeRule(rule), text, 'and shown as before');
    });
  }
});
