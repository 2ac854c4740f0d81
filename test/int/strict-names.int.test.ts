import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { cli, scratchMy, scratchPg, type ScratchMy, type ScratchPg } from '../helpers/servers.js';

describe('a name that matches nothing is an error, not an empty filter', () => {
  let src: ScratchPg;
  let dst: ScratchMy;
  let tmp: string;
  let dir: string;
  before(async () => {
    src = await scratchPg('names');
    await src.query('CREATE TABLE a (id int PRIMARY KEY); INSERT INTO a VALUES (1), (2); CREATE TABLE b (id int PRIMARY KEY); INSERT INTO b VALUES (1);');
    dst = await scratchMy('names');
    tmp = await mkdtemp(join(tmpdir(), 'pgmy-names-'));
    dir = join(tmp, 'snap');
    const m = await cli('migrate', '--source', src.url, '--target', dst.url, '--out', dir, '--quiet');
    assert.equal(m.code, 0, m.err);
  });
  after(async () => {
    await src?.drop();
    await dst?.drop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('plan --schema nosuch: exit 2, naming the schema', async () => {
    const r = await cli('plan', '--source', src.url, '--schema', 'public', '--schema', 'nosuch');
    assert.equal(r.code, 2, r.out + r.err);
    assert.match(r.err, /No schema nosuch in database/);
    assert.doesNotMatch(r.out, /ready/);
  });

  it('dump --tables a,nosuch: exit 2, nothing written', async () => {
    const out = join(tmp, 'typo');
    const r = await cli('dump', '--source', src.url, '--out', out, '--tables', 'a,nosuch');
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /--tables names nosuch, which is not a table of schema public/);
    assert.equal(await readdir(out).then((f) => f.length, () => 0), 0);
    const x = await cli('plan', '--source', src.url, '--exclude-tables', 'public.nosuch');
    assert.equal(x.code, 2);
    assert.match(x.err, /--exclude-tables names public\.nosuch/);
  });

  it('verify --tables nosuch (both servers, or a dump folder): exit 2, not "same rows in all 0 tables"', async () => {
    const a = await cli('verify', '--source', src.url, '--target', dst.url, '--tables', 'nosuch');
    assert.equal(a.code, 2, a.out + a.err);
    assert.doesNotMatch(a.out, /same rows/);
    const b = await cli('verify', '--source', src.url, '--target', dst.url, dir, '--tables', 'nosuch');
    assert.equal(b.code, 2, b.out + b.err);
    assert.match(b.err, /--tables names nosuch, which the dump does not hold/);
  });

  it('verify DIR --tables a compares a only (it used to ignore --tables with a dump folder)', async () => {
    const r = await cli('verify', '--source', src.url, '--target', dst.url, dir, '--tables', 'a', '--json');
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as { tables: Array<{ table: string }> };
    assert.deepEqual(j.tables.map((t) => t.table), ['a']);
    const all = JSON.parse((await cli('verify', '--source', src.url, '--target', dst.url, dir, '--json')).out) as { tables: Array<{ table: string }> };
    assert.deepEqual(all.tables.map((t) => t.table).sort(), ['a', 'b']);
  });
});

describe('arguments and pipes', () => {
  it('--jobs abc, -3 and 0, and --max-diffs -1, are exit 2 with the reason', async () => {
    for (const [cmd, value] of [['load', 'abc'], ['load', '-3'], ['dump', '0']] as const) {
      const r = cmd === 'load'
        ? await cli('load', '/nonexistent', '--target', 'mysql://root@127.0.0.1/x', `--jobs=${value}`)
        : await cli('dump', '--source', 'postgres://postgres@127.0.0.1/x', '--out', '/nonexistent/x', `--jobs=${value}`);
      assert.equal(r.code, 2, `${cmd} --jobs ${value}: ${r.err}`);
      assert.match(r.err, new RegExp(`--jobs ${value}: expected a whole number of 1 or more`));
    }
    const v = await cli('verify', '/nonexistent', '--max-diffs=-1');
    assert.equal(v.code, 2, v.err);
    assert.match(v.err, /--max-diffs -1: expected a whole number of 0 or more/);
  });

  it('--out that is a file, under a file, or under /proc: exit 2 at once, before any connection', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'pgmy-out-'));
    try {
      const file = join(tmp, 'afile');
      await writeFile(file, 'x');
      // The source is a closed port: reaching it would be a connection error, not the folder's.
      const source = 'postgres://postgres@127.0.0.1:1/nowhere';
      for (const [out, why] of [[file, /is a file, not a folder/], [join(file, 'sub'), /cannot be read \(ENOTDIR\)/], ['/proc/pgmy-test/x', /cannot be created \(ENOENT\)/]] as const) {
        const started = Date.now();
        const r = await cli('dump', '--source', source, '--out', out);
        assert.equal(r.code, 2, `${out}: ${r.err}`);
        assert.match(r.err, new RegExp(`--out ${out.replace(/[/.]/g, '\\$&')} cannot be the dump folder`));
        assert.match(r.err, why);
        assert.ok(Date.now() - started < 5000, 'at once');
      }
      const dry = await cli('dump', '--dry-run', '--source', source, '--out', file);
      assert.equal(dry.code, 2, dry.err);
      assert.match(dry.err, /is a file, not a folder/);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });

  it('pgmy plan | head -1 ends quietly: no EPIPE, no stack trace', async () => {
    const db = await scratchPg('epipe');
    try {
      await db.query(`DO $$ BEGIN FOR i IN 1..300 LOOP EXECUTE format('CREATE TABLE t%s (id int PRIMARY KEY, v text, w numeric(10,2))', i); END LOOP; END $$`);
      const bin = new URL('../../../bin/pgmy.js', import.meta.url).pathname;
      const { out, err } = await new Promise<{ out: string; err: string }>((resolve) => {
        execFile('bash', ['-c', `node ${bin} plan --source '${db.url}' --skip-scan | head -1`], (_e, stdout, stderr) => resolve({ out: stdout, err: stderr }));
      });
      assert.match(out, /^plan for /);
      assert.doesNotMatch(err, /EPIPE|Unhandled|at /, err);
    } finally {
      await db.drop();
    }
  });
});
