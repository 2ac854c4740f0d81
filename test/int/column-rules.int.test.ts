import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dump } from '../../src/dump/dump.js';
import { load } from '../../src/load/load.js';
import { describeRule, type ColumnRule } from '../../src/model/target.js';
import { verify } from '../../src/verify/verify.js';
import { scratchMy, scratchPg, type ScratchPg } from '../helpers/servers.js';

describe('column rules as structure: a cast keeps the key an integer; version 1 dumps still load', () => {
  let src: ScratchPg;
  let tmp: string;
  before(async () => {
    src = await scratchPg('rules');
    await src.query(`CREATE TABLE ev (id int PRIMARY KEY, body text, b bytea);
      INSERT INTO ev SELECT i, repeat('y', i % 300), decode(md5(i::text), 'hex') FROM generate_series(1, 20000) i;`);
    tmp = await mkdtemp(join(tmpdir(), 'pgmy-rules-'));
  });
  after(async () => {
    await src?.drop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('--cast of an integer key: the table is still split by key, and verify still merges by integer key', async () => {
    const out = join(tmp, 'cast');
    const d = await dump({ source: src.url, out, chunkSize: 64 * 1024, jobs: 2, casts: new Map([['ev.id', 'BIGINT']]) });
    const col = d.manifest.target.tables[0]?.columns.find((c) => c.name === 'id');
    assert.equal(col?.sqlType, 'BIGINT');
    assert.deepEqual(col?.rule, { kind: 'integer', transform: 'native', flags: [], castFrom: 'INT' });
    const entry = d.manifest.data[0];
    assert.equal(entry?.split?.column, 'id', 'split by the key, not by pages and not left whole');
    assert.ok((entry?.parts?.length ?? 0) >= 4);
    const my = await scratchMy('rules');
    try {
      await load({ target: my.url, dir: out });
      const v = await verify({ source: src.url, target: my.url, dir: out });
      assert.equal(v.match, true, JSON.stringify(v.tables));
      assert.equal(v.tables[0]?.method, 'ordered by primary key');
      // A changed row is found, and named by its integer key.
      await my.query('UPDATE ev SET body = \'changed\' WHERE id = 10');
      const bad = await verify({ source: src.url, target: my.url, dir: out });
      assert.equal(bad.match, false);
      assert.deepEqual(bad.tables[0]?.differences.map((x) => [x.kind, x.key, x.column]), [['different', { id: '10' }, 'body']]);
    } finally {
      await my.drop();
    }
  });

  it('a dump whose manifest is format version 1 (rules as text) loads and verifies', async () => {
    const out = join(tmp, 'v1');
    await dump({ source: src.url, out, jobs: 1 });
    const path = join(out, 'manifest.json');
    const m = JSON.parse(await readFile(path, 'utf8')) as { formatVersion: number; target: { tables: Array<{ columns: Array<{ rule: ColumnRule | string }> }> } };
    m.formatVersion = 1;
    for (const t of m.target.tables) for (const c of t.columns) c.rule = describeRule(c.rule as ColumnRule);
    // pgmy of format version 1 wrote no checksums.
    const { checksum: _c, files: _f, ...v1 } = m as typeof m & { checksum?: string; files?: unknown };
    await writeFile(path, JSON.stringify(v1));
    const my = await scratchMy('rulesv1');
    try {
      const r = await load({ target: my.url, dir: out });
      assert.equal(r.tables[0]?.rows, 20000);
      const v = await verify({ source: src.url, target: my.url, dir: out });
      assert.equal(v.match, true, JSON.stringify(v.tables));
    } finally {
      await my.drop();
    }
  });
});
