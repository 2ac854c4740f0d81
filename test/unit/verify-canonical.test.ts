import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareDecimal, compareKey, sameValue } from '../../src/verify/canonical.js';
import { parseCopyLine } from '../../src/tsv/copy-text.js';

describe('value comparison', () => {
  it('floats compare as numbers, -0 is not 0, NaN equals NaN', () => {
    assert.ok(sameValue('float8', '1e+300', '1e300'));
    assert.ok(!sameValue('float8', '-0', '0'));
    assert.ok(sameValue('float8', 'NaN', 'NaN'));
    assert.ok(sameValue('float4', '1.1', '1.100000023841858'));
    assert.ok(!sameValue('float4', '1.1', '1.2'));
  });
  it('NULL equals only NULL', () => {
    assert.ok(sameValue('text', null, null));
    assert.ok(!sameValue('text', null, ''));
    assert.ok(!sameValue('text', '\\N', null));
  });
  it('JSON compares by structure, text by every byte', () => {
    assert.ok(sameValue('json', '{"a": 1, "b": [1, 2]}', '{"b":[1,2],"a":1}'));
    assert.ok(!sameValue('text', 'a', 'a '));
  });
  it('keys order like the servers', () => {
    assert.equal(compareKey('integer', '9', '10'), -1);
    assert.equal(compareKey('integer', '-9223372036854775808', '9223372036854775807'), -1);
    assert.equal(compareKey('bytes', 'Z', 'a'), -1);
    assert.equal(compareKey('bytes', '\uffff', '😀'), -1, 'UTF-8 byte order, not UTF-16 order');
    assert.equal(compareDecimal('-10.5', '-9.75'), -1);
    assert.equal(compareDecimal('1.50', '1.5'), 0);
    assert.equal(compareDecimal('100', '99.99'), 1);
  });
});

describe('COPY text parsing', () => {
  it('undoes escapes and knows NULL', () => {
    assert.deepEqual(parseCopyLine('a\\tb\t\\N\t\\\\N\t\t\\f\\v\\x41\\101'), ['a\tb', null, '\\N', '', '\f\vAA']);
  });
});


