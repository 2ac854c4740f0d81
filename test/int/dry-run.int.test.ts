import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, MY_BASE, scratchMy, scratchPg, type ScratchMy, type ScratchPg } from '../helpers/servers.js';

let src: ScratchPg;
let my: ScratchMy;
let dir: string;

before(async () => {
  src = await scratchPg('dryrun');
  await src.query(`CREATE TABLE a (id int PRIMARY KEY, t text)`);
  await src.query(`INSERT INTO a SELECT g, 'x' || g FROM generate_series(1, 1000) g`);
  await src.query(`CREATE TABLE b (id int PRIMARY KEY)`);
  await src.query(`INSERT INTO b VALUES (1)`);
  await src.query('ANALYZE');
  my = await scratchMy('dryrun');
  dir = await mkdtemp(join(tmpdir(), 'pgmy-dryrun-'));
});

after(async () => {
  await src.drop();
  await my.drop();
  await rm(dir, { recursive: true, force: true });
});

test('dump --dry-run plans and checks, says what it would dump, and writes nothing', async () => {
  const out = join(dir, 'new');
  const r = await cli('dump', '--dry-run', '--source', src.url, '--out', out);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /would be a new dump/);
  assert.match(r.out, /public\.a\s+a\s+1000\s+.*would be dumped/);
  assert.match(r.out, /would dump 2 table\(s\)/);
  assert.equal(existsSync(out), false, 'no folder was made');

  const j = await cli('dump', '--dry-run', '--json', '--source', src.url, '--out', out);
  const parsed = JSON.parse(j.out) as { type: string; folder: string; tables: Array<{ table: string; kept: boolean }> };
  assert.equal(parsed.type, 'dry-run');
  assert.deepEqual(parsed.tables.map((t) => t.table), ['public.a', 'public.b']);
});

test('dump --dry-run on an interrupted dump says which tables would be kept', async () => {
  const out = join(dir, 'resume');
  assert.equal((await cli('dump', '--source', src.url, '--out', out, '--quiet')).code, 0);
  const path = join(out, 'manifest.json');
  const m = JSON.parse(await readFile(path, 'utf8')) as { complete: boolean; data: Array<{ name: string; complete: boolean }> };
  m.complete = false;
  for (const d of m.data) if (d.name === 'b') d.complete = false;
  await writeFile(path, JSON.stringify(m));
  const before = await readFile(path, 'utf8');
  const r = await cli('dump', '--dry-run', '--source', src.url, '--out', out);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /holds the interrupted dump .* which would be resumed/);
  assert.match(r.out, /public\.a .*kept from the earlier run/);
  assert.match(r.out, /public\.b .*would be dumped/);
  assert.equal(await readFile(path, 'utf8'), before, 'the manifest was not touched');
});

test('dump --dry-run is blocked (exit 4) by values that cannot be carried, like the dump', async () => {
  await src.query(`CREATE TABLE bad (id int PRIMARY KEY, x float8)`);
  await src.query(`INSERT INTO bad VALUES (1, 'NaN')`);
  try {
    const r = await cli('dump', '--dry-run', '--source', src.url, '--out', join(dir, 'blocked'));
    assert.equal(r.code, 4, r.out + r.err);
    assert.match(r.err, /NaN/);
  } finally {
    await src.query('DROP TABLE bad');
  }
});

test('migrate --dry-run checks the target too and creates nothing there', async () => {
  const r = await cli('migrate', '--dry-run', '--source', src.url, '--target', my.url, '--out', join(dir, 'm'));
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /target: mariadb .*local_infile on/);
  assert.equal(existsSync(join(dir, 'm')), false);
  const mysql = await import('mysql2/promise');
  const conn = await mysql.createConnection({ uri: MY_BASE });
  const [rows] = await conn.query('SHOW DATABASES LIKE ?', [my.name]);
  await conn.end();
  assert.equal((rows as unknown[]).length, 0, 'the target database was not created');
});
