import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, scratchMy, scratchPg, type ScratchMy, type ScratchPg } from '../helpers/servers.js';

let src: ScratchPg;
let my: ScratchMy;
let dir: string;

before(async () => {
  src = await scratchPg('noovl');
  await src.query(`CREATE TABLE t (id int PRIMARY KEY, v text)`);
  await src.query(`INSERT INTO t SELECT g, repeat('x', 50) || g FROM generate_series(1, 20000) g`);
  await src.query(`CREATE TABLE u (id int PRIMARY KEY, t_id int REFERENCES t)`);
  await src.query(`INSERT INTO u SELECT g, g FROM generate_series(1, 5000) g`);
  my = await scratchMy('noovl');
  dir = await mkdtemp(join(tmpdir(), 'pgmy-noovl-'));
});

after(async () => {
  await src.drop();
  await my.drop();
  await rm(dir, { recursive: true, force: true });
});

test('migrate --no-overlap dumps every chunk before loading any, and ends with the same rows', async () => {
  const out = join(dir, 'snap');
  const r = await cli('migrate', '--source', src.url, '--target', my.url, '--out', out, '--no-overlap', '--chunk-size', '64k', '--json');
  assert.equal(r.code, 0, r.err);
  const events = r.out.trim().split('\n').map((l) => JSON.parse(l) as { type: string });
  const lastDumped = events.map((e) => e.type).lastIndexOf('chunk');
  const firstLoaded = events.findIndex((e) => e.type === 'chunk-done');
  assert.ok(lastDumped > 0 && firstLoaded > 0, 'both sides reported chunks');
  assert.ok(lastDumped < firstLoaded, `the last dumped chunk (event ${lastDumped}) comes before the first loaded one (event ${firstLoaded})`);
  const done = events.at(-1) as { type: string; overlapped?: boolean };
  assert.equal(done.type, 'done');
  assert.equal(done.overlapped, false);
  const v = await cli('verify', '--source', src.url, '--target', my.url, out);
  assert.equal(v.code, 0, v.out + v.err);

  const text = await cli('migrate', '--source', src.url, '--target', `${my.url}_2`, '--out', join(dir, 'snap2'), '--no-overlap');
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /migrate complete in [\d.]+ s \(dumped, then loaded\)/);
  assert.match(text.out, /table +rows +bytes +chunks +seconds +MB\/s +warnings\n/, 'the dump summary is printed too');
  assert.match(text.out, /table +rows +bytes +chunks +seconds +MB\/s\n/, 'and the load summary');
  await my.query(`DROP DATABASE IF EXISTS \`${my.name}_2\``);
});
