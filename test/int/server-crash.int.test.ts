import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { dump } from '../../src/dump/dump.js';
import { verify } from '../../src/verify/verify.js';
import pg from 'pg';
import { cli, scratchMy, scratchPg } from '../helpers/servers.js';
import { privatePostgres } from '../helpers/private-postgres.js';
import { privateMariadb } from '../helpers/private-mariadb.js';

const FIXTURE = new URL('../../../test/fixtures/django-shop.sql', import.meta.url).pathname;
const BIN = new URL('../../../bin/pgmy.js', import.meta.url).pathname;

/** How long pgmy takes, in ms, to run these arguments to a successful end. */
async function timed(args: string[]): Promise<number> {
  const began = performance.now();
  const child = spawn(process.execPath, args, { stdio: 'ignore' });
  assert.equal(await new Promise((resolve) => child.once('exit', resolve)), 0, `pgmy ${args.slice(1, 2).join(' ')} ran`);
  return performance.now() - began;
}

describe('a server killed -9 mid-run (issue 16)', () => {
  it('mariadbd killed at several moments of the load, restarted, the load run again: every row exact', async (t) => {
    const found = await privateMariadb(['--local-infile=1']);
    if (typeof found === 'string') return t.skip(found);
    const server = { ...found, url: `${found.url}/crashdb` };
    const tmp = await mkdtemp(join(tmpdir(), 'pgmy-srvcrash-'));
    const src = await scratchPg('srvcrash', [FIXTURE]);
    try {
      const dir = join(tmp, 'snap');
      await dump({ source: src.url, out: dir, chunkSize: 16 * 1024, jobs: 2 });
      const chunks = (JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { data: Array<{ chunks: unknown[] }> }).data.reduce((n, d) => n + d.chunks.length, 0);
      // A whole load's time on this machine (into another database): the kills land at fractions of it.
      // The shorter of two (the first runs on a cold server and overstates a whole load).
      const whole = Math.min(
        await timed([BIN, 'load', '--target', `${found.url}/crashdb_timing1`, dir, '--jobs', '2', '--quiet']),
        await timed([BIN, 'load', '--target', `${found.url}/crashdb_timing2`, dir, '--jobs', '2', '--quiet']),
      );
      const kills: string[] = [];
      // Moments after the load's start: during start-up and table creation, among the chunks, and later. Each
      // run resumes the last one's work, so each kill comes after a small share of a whole load.
      for (const ms of [0.1, 0.25, 0.2, 0.3, 0.15].map((f) => Math.round(whole * (f + Math.random() * 0.05)))) {
        const child = spawn(process.execPath, [BIN, 'load', '--target', server.url, dir, '--jobs', '2', '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
        const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
        const timer = new Promise<'due'>((r) => setTimeout(() => r('due'), ms));
        if ((await Promise.race([exited, timer])) === 'due') {
          await server.kill9();
          const code = await exited;
          await server.start();
          // A load that had finished its last statement when the kill came exits 0 on its own; the verify below
          // still proves every row. Any other run must fail, and say why.
          if (code === 0 && err === '') {
            kills.push(`${ms} ms: finished as the kill came`);
            continue;
          }
          assert.notEqual(code, 0, 'the load failed when its server died');
          assert.match(err, /lost|gone|ECONNRESET|ECONNREFUSED|closed|Cannot reach/i, `a clear error: ${err}`);
          kills.push(`${ms} ms`);
        } else {
          kills.push(`${ms} ms: finished first`);
        }
      }
      const again = await cli('load', '--target', server.url, dir, '--jobs', '2', '--quiet');
      assert.equal(again.code, 0, again.err);
      const v = await verify({ source: src.url, target: server.url, dir });
      assert.equal(v.match, true, JSON.stringify(v.tables.filter((x) => !x.match)));
      assert.ok(v.tables.every((x) => x.sourceRows === x.targetRows));
      t.diagnostic(`${chunks} chunks; a whole load: ${Math.round(whole)} ms; kills: ${kills.join(', ')}`);
      assert.ok(kills.filter((k) => !k.includes('finished')).length >= 3, `most kills landed: ${kills.join(', ')}`);
    } finally {
      await server.stop();
      await src.drop();
      await rm(tmp, { recursive: true, force: true });
    }
  });

  it('the PostgreSQL server killed at several moments of a dump, restarted, the dump run again: resumed, loaded, every row exact', async (t) => {
    const server = await privatePostgres({ hba: ['host all all 127.0.0.1/32 trust'] });
    if (typeof server === 'string') return t.skip(server);
    const tmp = await mkdtemp(join(tmpdir(), 'pgmy-pgcrash-'));
    const my = await scratchMy('pgcrash');
    try {
      await server.admin('CREATE DATABASE shop');
      const source = `${server.url}/shop`;
      const fill = new pg.Client({ connectionString: source });
      await fill.connect();
      await fill.query(await readFile(FIXTURE, 'utf8'));
      await fill.end();
      const dir = join(tmp, 'snap');
      const dumpArgs = (out: string) => [BIN, 'dump', '--source', source, '--out', out, '--chunk-size', '16KiB', '--jobs', '2', '--quiet'];
      // The kills land at fractions of a whole dump's time on this machine, not at fixed times a faster dump outruns.
      // The shorter of two: the first reads a cold server and overstates a whole dump.
      const whole = Math.min(await timed(dumpArgs(join(tmp, 'timing1'))), await timed(dumpArgs(join(tmp, 'timing2'))));
      const kills: string[] = [];
      let finished = false;
      for (const ms of [0.15, 0.25, 0.35, 0.5, 0.7].map((f) => Math.round(whole * (f + Math.random() * 0.05)))) {
        const child = spawn(process.execPath, dumpArgs(dir), { stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
        const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
        if ((await Promise.race([exited, new Promise<'due'>((r) => setTimeout(() => r('due'), ms))])) === 'due') {
          await server.kill9();
          const code = await exited;
          await server.start();
          // The dump had read its last row when the kill came (each run resumes the last one's work, so the later
          // runs are short): it exits 0 on its own, and the load and verify below prove every row.
          if (code === 0 && err === '') {
            kills.push(`${ms} ms: finished as the kill came`);
            finished = true;
            break;
          }
          assert.notEqual(code, 0, 'the dump failed when its server died');
          assert.match(err, /PostgreSQL|terminat|lost|ECONNRESET|ECONNREFUSED/i, `a clear error: ${err}`);
          kills.push(`${ms} ms`);
        } else {
          // Each run resumed the last one's work: this one had little left and completed the dump.
          kills.push(`${ms} ms: finished first`);
          finished = true;
          break;
        }
      }
      if (!finished) {
        const again = await cli('dump', '--source', source, '--out', dir, '--chunk-size', '16KiB', '--quiet');
        assert.equal(again.code, 0, again.err);
      }
      assert.equal((await cli('load', '--target', my.url, dir, '--quiet')).code, 0);
      const v = await verify({ source, target: my.url, dir });
      assert.equal(v.match, true, JSON.stringify(v.tables.filter((x) => !x.match)));
      t.diagnostic(`a whole dump: ${Math.round(whole)} ms; kills: ${kills.join(', ')}`);
      assert.ok(kills.filter((k) => !k.includes('finished')).length >= 2, `most kills landed: ${kills.join(', ')}`);
    } finally {
      await my.drop();
      await server.stop();
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
