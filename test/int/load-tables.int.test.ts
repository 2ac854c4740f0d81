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

describe('verify --drop-journal', () => {
  it('drops the journal only after every table matched and the load it records is finished', async () => {
    const src = await scratchPg('dropjournal');
    const dst = await scratchMy('dropjournal');
    const tmp = await mkdtemp(join(tmpdir(), 'pgmy-dropjournal-'));
    try {
      await src.query('CREATE TABLE a (id int PRIMARY KEY); INSERT INTO a SELECT generate_series(1, 20); CREATE TABLE b (id int PRIMARY KEY); INSERT INTO b VALUES (1)');
      const dir = join(tmp, 'snap');
      assert.equal((await cli('dump', '--source', src.url, '--out', dir, '--quiet')).code, 0);
      const journal = async () => (await dst.query<{ n: string }>("SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '_pgmy_journal'"))[0]?.n;
      // A load of some tables is not finished: kept.
      assert.equal((await cli('load', '--target', dst.url, '--tables', 'a', dir, '--quiet')).code, 0);
      const partial = await cli('verify', '--source', src.url, '--target', dst.url, '--tables', 'a', '--drop-journal');
      assert.equal(partial.code, 2, 'a partial verify cannot drop it');
      assert.match(partial.err, /--drop-journal needs every table verified/);
      // b is missing: a difference, nothing dropped.
      const differs = await cli('verify', '--source', src.url, '--target', dst.url, '--drop-journal');
      assert.equal(differs.code, 3, differs.out + differs.err);
      assert.equal(await journal(), '1');
      // Both tables loaded, by two partial loads: every row matches, but the load is not finished: kept, exit 1.
      assert.equal((await cli('load', '--target', dst.url, '--tables', 'b', dir, '--quiet')).code, 0);
      const unfinished = await cli('verify', '--source', src.url, '--target', dst.url, '--drop-journal');
      assert.equal(unfinished.code, 1, unfinished.err);
      assert.match(unfinished.err, /Every table matched, but _pgmy_journal was kept: the load it records is not finished/);
      assert.equal(await journal(), '1');
      assert.equal((await cli('load', '--target', dst.url, dir, '--quiet')).code, 0);
      // A row changed after the load: still a difference, still kept.
      await dst.query('UPDATE a SET id = 100 WHERE id = 20');
      assert.equal((await cli('verify', '--source', src.url, '--target', dst.url, '--drop-journal')).code, 3);
      assert.equal(await journal(), '1');
      await dst.query('UPDATE a SET id = 20 WHERE id = 100');
      const ok = await cli('verify', '--source', src.url, '--target', dst.url, '--drop-journal');
      assert.equal(ok.code, 0, ok.err + ok.out);
      assert.match(ok.out, /the load journal \(_pgmy_journal\) was dropped/);
      assert.equal(await journal(), '0');
      const again = await cli('verify', '--source', src.url, '--target', dst.url, '--drop-journal');
      assert.equal(again.code, 1);
      assert.match(again.err, /no _pgmy_journal/);
    } finally {
      await src.drop();
      await dst.drop();
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
