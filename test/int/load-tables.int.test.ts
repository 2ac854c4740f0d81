import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cli, scratchMy, scratchPg, type ScratchMy, type ScratchPg } from '../helpers/servers.js';

describe('load --tables, and inspect naming the command to run again', () => {
  let src: ScratchPg;
  let dst: ScratchMy;
  let tmp: string;
  before(async () => {
    src = await scratchPg('loadtables');
    await src.query(`CREATE TABLE parent (id int PRIMARY KEY);
      CREATE TABLE child (id serial PRIMARY KEY, parent_id int REFERENCES parent (id), note text);
      CREATE TABLE other (id int PRIMARY KEY);
      INSERT INTO parent SELECT generate_series(1, 10); INSERT INTO child (parent_id, note) SELECT g % 10 + 1, 'n' || g FROM generate_series(1, 100) g;
      INSERT INTO other VALUES (1)`);
    dst = await scratchMy('loadtables');
    tmp = await mkdtemp(join(tmpdir(), 'pgmy-loadtables-'));
  });
  after(async () => {
    await src?.drop();
    await dst?.drop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('loads only the tables named, leaves out foreign keys to the others (saying so), and a full load finishes the job', async () => {
    const dir = join(tmp, 'snap');
    const d = await cli('dump', '--source', src.url, '--out', dir, '--quiet');
    assert.equal(d.code, 0, d.err);
    const bad = await cli('load', '--target', dst.url, '--tables', 'child,nosuch', dir);
    assert.equal(bad.code, 2, bad.err);
    assert.match(bad.err, /--tables names nosuch, which is not a table of this dump/);

    const some = await cli('load', '--target', dst.url, '--tables', 'public.child', dir);
    assert.equal(some.code, 0, some.err);
    assert.match(some.err, /warning: public\.child: foreign key .* to parent is not added: parent is not among --tables/);
    const tables = await dst.query<{ t: string }>('SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name <> \'_pgmy_journal\' ORDER BY 1');
    assert.deepEqual(tables.map((r) => r.t), ['child']);
    assert.deepEqual(await dst.query('SELECT COUNT(*) AS n FROM child'), [{ n: '100' }]);
    const fks = () => dst.query('SELECT constraint_name FROM information_schema.referential_constraints WHERE constraint_schema = DATABASE()');
    assert.equal((await fks()).length, 0);
    const part = await cli('inspect', dir, '--target', dst.url);
    assert.match(part.out, /not finished: run the same pgmy load again/);

    const all = await cli('load', '--target', dst.url, dir, '--quiet');
    assert.equal(all.code, 0, all.err);
    assert.equal((await fks()).length, 1, 'the whole load adds the foreign key');
    assert.deepEqual(await dst.query('SELECT COUNT(*) AS n FROM parent'), [{ n: '10' }]);
    assert.match((await cli('inspect', dir, '--target', dst.url)).out, /load into .*: 3 of 3 chunks, .* finished/);
    const v = await cli('verify', '--source', src.url, '--target', dst.url);
    assert.equal(v.code, 0, v.err + v.out);
  });

  it('after a migrate, inspect advises pgmy migrate, not pgmy dump or load', async () => {
    const target = await scratchMy('loadtablesmig');
    try {
      const dir = join(tmp, 'mig');
      const m = await cli('migrate', '--source', src.url, '--target', target.url, '--out', dir, '--quiet');
      assert.equal(m.code, 0, m.err);
      const r = await cli('inspect', dir, '--target', target.url, '--json');
      const j = JSON.parse(r.out) as { by: string; load: { by: string; done: boolean } };
      assert.deepEqual([j.by, j.load.by, j.load.done], ['migrate', 'migrate', true]);
      const alone = await cli('inspect', join(tmp, 'snap'), '--json');
      assert.equal((JSON.parse(alone.out) as { by: string }).by, 'dump');
    } finally {
      await target.drop();
    }
  });
});
