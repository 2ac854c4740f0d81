import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkLoaded, followable } from '../../src/load/follow.js';
import type { Manifest, TableData } from '../../src/model/dump-format/manifest.js';

const chunk = (file: string, sha: string) => ({ file, rows: 1, bytes: 1, sha256: sha.repeat(64) });
const entry = (name: string, more: Partial<TableData>): TableData => ({ schema: 'public', name, target: name, complete: false, rows: 0, bytes: 0, chunks: [], ...more });
const manifest = (data: TableData[]) => ({ complete: false, data }) as unknown as Manifest;

describe('load --follow', () => {
  it('loads the chunks a resumed dump keeps: complete tables and complete key-range parts, not page-range parts', () => {
    const m = followable(manifest([
      entry('done', { complete: true, chunks: [chunk('data/public.done/000001.tsv', 'a')] }),
      entry('keyed', { split: { column: 'id', bounds: ['0', '10', '20'] }, chunks: [chunk('data/public.keyed/p0001-000001.tsv', 'b')] }),
      entry('paged', { split: { column: 'ctid', bounds: ['0', '10', '20'], kind: 'ctid' }, chunks: [chunk('data/public.paged/p0001-000001.tsv', 'c')] }),
      entry('running', {}),
    ]));
    assert.deepEqual(m.data.map((d) => [d.name, d.chunks.length]), [['done', 1], ['keyed', 1], ['paged', 0], ['running', 0]]);
  });

  it('a loaded chunk the dump no longer lists as it was stops the load, naming the table and chunk', () => {
    const m = followable(manifest([entry('t', { complete: true, chunks: [chunk('data/public.t/000001.tsv', 'a')] }), entry('u', {})]));
    assert.doesNotThrow(() => checkLoaded('/d', m, new Map([['data/public.t/000001.tsv', 'a'.repeat(64)]])));
    assert.throws(() => checkLoaded('/d', m, new Map([['data/public.t/000001.tsv', 'f'.repeat(64)]])), (e: Error & { code?: string; chunk?: string }) =>
      e.code === 'dump-mismatch' && e.chunk === 'data/public.t/000001.tsv' && /redoing public\.t/.test(e.message));
    // A table the restarted dump is redoing from the start lists none of the chunks loaded from it.
    assert.throws(() => checkLoaded('/d', m, new Map([['data/public.u/000001.tsv', 'b'.repeat(64)]])), /redoing public\.u/);
  });
});
