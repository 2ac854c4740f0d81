import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codecExtension, codecOfFile, parseCodec } from '../../src/compression/codec.js';

test('--compress values: pg_dump\'s name[:level] spelling, levels within each codec\'s range', () => {
  assert.deepEqual(parseCodec('none'), { name: 'none', level: 0 });
  assert.deepEqual(parseCodec('gzip'), { name: 'gzip', level: 6 });
  assert.deepEqual(parseCodec('GZIP:1'), { name: 'gzip', level: 1 });
  assert.deepEqual(parseCodec('zstd'), { name: 'zstd', level: 3 });
  assert.deepEqual(parseCodec('zstd:19'), { name: 'zstd', level: 19 });
  for (const bad of ['gzip:0', 'gzip:10', 'zstd:20', 'zstd:', 'none:1', 'lz4', 'zstd:-1', '']) {
    assert.throws(() => parseCodec(bad), /is not understood/, bad);
  }
});

test('a chunk file\'s codec comes from its name, so a dump may mix them', () => {
  for (const name of ['none', 'gzip', 'zstd'] as const) assert.equal(codecOfFile(`data/public.t/p0001-000001.tsv${codecExtension(name)}`), name);
});
