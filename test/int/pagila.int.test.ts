import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { verify } from '../../src/verify/verify.js';
import { cli, psqlFile, scratchMy, scratchPg, type ScratchMy, type ScratchPg } from '../helpers/servers.js';

const PAGILA = new URL('../../../../shared/fixtures/pagila/', import.meta.url).pathname;

describe('Pagila, the real-world sample', () => {
  let src: ScratchPg;
  let dst: ScratchMy;
  let tmp: string;

  before(async () => {
    src = await scratchPg('pagila');
    await psqlFile(src.url, join(PAGILA, 'pagila-schema.sql'));
    await psqlFile(src.url, join(PAGILA, 'pagila-data.sql'));
    dst = await scratchMy('pagila');
    tmp = await mkdtemp(join(tmpdir(), 'pgmy-pagila-'));
  });
  after(async () => {
    await src?.drop();
    await dst?.drop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('is refused before any data moves, naming the columns pgmy cannot carry yet', async () => {
    const out = join(tmp, 'refused');
    const r = await cli('dump', '--source', src.url, '--out', out);
    assert.equal(r.code, 4, r.err);
    assert.match(r.err, /public\.film\.special_features: column special_features: type text\[\] \(array\) is not supported/);
    assert.match(r.err, /public\.film\.fulltext: column fulltext: type tsvector/);
    assert.match(r.err, /--exclude-tables/);
    assert.deepEqual(await readdir(out).catch(() => []), [], 'nothing was written');
  });

  it('migrates every other table with every row equal when film is excluded', async () => {
    const out = join(tmp, 'snap');
    const m = await cli('migrate', '--source', src.url, '--target', dst.url, '--out', out, '--exclude-tables', 'film', '--quiet');
    assert.equal(m.code, 0, m.err);
    const result = await verify({ source: src.url, target: dst.url, dir: out });
    assert.equal(result.tables.length, 14);
    for (const t of result.tables) assert.equal(t.match, true, `${t.table}: ${JSON.stringify(t.differences)}`);
    const payment = result.tables.find((t) => t.table === 'payment');
    assert.equal(payment?.targetRows, 16049, 'the partitioned table arrives as one table holding all partitions');
    const [staff] = await dst.query<{ n: number }>('SELECT COUNT(*) AS n FROM staff WHERE staff_id = 0');
    assert.equal(Number(staff?.n), 1);
    const v = await cli('verify', '--source', src.url, '--target', dst.url, out);
    assert.equal(v.code, 0, v.out + v.err);
    assert.match(v.out, /same rows in all 14 tables/);
  });
});
