import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { manifestJson, ManifestParts } from '../../src/model/dump-format/manifest.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
/** What writeManifest wrote before it kept parts: the body stringified twice, the checksum of the compact form last. */
const plain = (body: object) => JSON.stringify({ ...body, checksum: sha(JSON.stringify(body)) }, null, 2);

const body = () => ({
  format: 'pgmy-dump', formatVersion: 3, complete: false, skipped: undefined,
  source: { url: 'postgres://u@h/db', server: { version: '15.4', versionNum: 150004 } },
  options: { schemas: ['public'], tables: [], excludeTables: [], chunkSize: 64 << 20 },
  target: { tables: [{ name: 'tëst "quoted"\nline', columns: [{ name: 'v', nullable: true, maxBytes: 12.5, notes: [] }], empty: {} }], notices: [] },
  catalog: { tables: [{ schema: 'public', name: 'emoji 😀', rows: -1, nested: [[1, [2, [3]]], { a: null }] }] },
  data: [{ name: 't', rows: 0, chunks: [] }],
});

describe('the manifest as JSON, with its unchanging parts kept between writes', () => {
  it('is byte for byte what JSON.stringify writes, checksum included', () => {
    assert.equal(manifestJson(body()), plain(body()));
    assert.equal(manifestJson({}), plain({}));
    assert.equal(manifestJson({ a: undefined, b: 1 }), plain({ a: undefined, b: 1 }));
  });

  it('a second write reuses the catalog and target of the first, and still gives the whole new manifest', () => {
    const parts = new ManifestParts();
    const m = body();
    assert.equal(manifestJson(m, parts), plain(m));
    m.data = [{ name: 't', rows: 5, chunks: [] }];
    m.complete = true;
    assert.equal(manifestJson(m, parts), plain(m));
    // Kept by identity: a catalog replaced by another object is stringified anew.
    m.catalog = { tables: [] };
    assert.equal(manifestJson(m, parts), plain(m));
  });

  it('data entries are kept one by one: a replaced entry is written anew, the others as they were, in the same layout', () => {
    const parts = new ManifestParts();
    const m: { data: object[] } & Record<string, unknown> = { ...body(), data: [] };
    assert.equal(manifestJson(m, parts), plain(m));
    const first = { name: 'a', rows: 1, chunks: [{ file: 'data/a/000001.tsv', rows: 1, sha256: 'x' }], parts: [{ complete: false }] };
    m.data = [first, { name: 'b', rows: 0, chunks: [] }];
    assert.equal(manifestJson(m, parts), plain(m));
    m.data[1] = { name: 'b', rows: 7, chunks: [{ file: 'data/b/000001.tsv', rows: 7, sha256: 'y' }], note: 'ünï "q"\n' };
    assert.equal(manifestJson(m, parts), plain(m));
    // Kept entries are frozen, nested parts too: one changed in place fails at once, never written stale.
    assert.throws(() => { (first as { rows: number }).rows = 2; }, TypeError);
    assert.throws(() => { first.chunks.push({ file: 'z', rows: 0, sha256: 'z' }); }, TypeError);
  });
});
