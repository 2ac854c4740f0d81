import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanNeeds } from '../../src/mapping/scan-model.js';
import { SPLIT_SCAN_BYTES, splitsScan } from '../../src/plan/scan.js';
import { type } from '../helpers/catalog-fixture.js';

describe('the value checks a column needs, by server version', () => {
  it('jsonb reads the stored size and compression first from PostgreSQL 14, and walks every document before', () => {
    const on15 = scanNeeds(type('jsonb'), 150000).checks;
    const on13 = scanNeeds(type('jsonb'), 130000).checks;
    assert.deepEqual([on15.map((c) => c.id), on13.map((c) => c.id)], [['json-depth'], ['json-depth']]);
    assert.match(on15[0]?.predicate ?? '', /^\(pg_column_size\(%s\) >= 240 OR pg_column_compression\(%s\) IS NOT NULL\) AND jsonb_path_exists/);
    assert.match(on13[0]?.predicate ?? '', /^jsonb_path_exists/);
    assert.doesNotMatch(on13[0]?.predicate ?? '', /pg_column_compression/);
  });

  it('numeric is checked for infinities only where PostgreSQL has them (14+); float always', () => {
    assert.deepEqual(scanNeeds(type('numeric'), 140000).checks.map((c) => c.id), ['nan', 'infinity']);
    assert.deepEqual(scanNeeds(type('numeric'), 130000).checks.map((c) => c.id), ['nan']);
    assert.deepEqual(scanNeeds(type('float8'), 120000).checks.map((c) => c.id), ['nan', 'infinity', 'negative-zero']);
    assert.equal(scanNeeds(type('numeric'), 150000).stats, true, 'numeric without precision is measured');
  });

  it('json (text) keeps its own checks on every version', () => {
    assert.deepEqual(scanNeeds(type('json'), 120000).checks.map((c) => c.id), ['json-depth', 'json-surrogate']);
  });
});

describe('splitting the scan of a large table by key ranges', () => {
  it('only across three sessions or more (two ranges through the key index finish later than one sequential scan)', () => {
    assert.equal(splitsScan(2, 10 * SPLIT_SCAN_BYTES), false);
    assert.equal(splitsScan(3, SPLIT_SCAN_BYTES), true);
    assert.equal(splitsScan(3, SPLIT_SCAN_BYTES - 1), false, 'a small table is one query whatever the sessions');
    assert.equal(splitsScan(4, 0, 0), true);
  });
});
