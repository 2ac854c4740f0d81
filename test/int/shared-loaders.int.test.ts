import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cli, scratchMy, scratchPg, type ScratchPg } from '../helpers/servers.js';
import { localS3, type LocalS3 } from '../helpers/s3.js';

const FIXTURE = new URL('../../../test/fixtures/django-shop.sql', import.meta.url).pathname;
const BIN = new URL('../../../bin/pgmy.js', import.meta.url).pathname;

interface Loader {
  readonly exited: Promise<number | null>;
  readonly kill: () => void;
  /** chunksLoaded from its --json done event, once it has exited 0. */
  chunks(): number | undefined;
  err(): string;
}

function startLoader(dir: string, target: string, extra: string[] = []): Loader {
  const child = spawn(process.execPath, [BIN, 'load', dir, '--target', target, '--jobs', '2', '--json', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  return {
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
    kill: () => child.kill('SIGKILL'),
    chunks: () => out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; chunksLoaded?: number }).find((e) => e.type === 'done')?.chunksLoaded,
    err: () => err,
  };
}

describe('several loaders sharing one dump and one target (issue 14)', () => {
  let src: ScratchPg;
  let tmp: string;
  let dir: string;
  let chunkCount: number;
  let s3: LocalS3;
  before(async () => {
    s3 = await localS3();
    src = await scratchPg('shared', [FIXTURE]);
    // No key: a chunk loaded twice would show as rows counted twice.
    await src.query(`CREATE TABLE events (v int NOT NULL, note text); INSERT INTO events SELECT g, md5(g::text) FROM generate_series(1, 40000) g`);
    tmp = await mkdtemp(join(tmpdir(), 'pgmy-shared-'));
    dir = join(tmp, 'snap');
    const dumped = await cli('dump', '--source', src.url, '--out', dir, '--chunk-size', '16KiB', '--quiet');
    assert.equal(dumped.code, 0, dumped.err);
    chunkCount = (JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { data: Array<{ chunks: unknown[] }> }).data.reduce((n, d) => n + d.chunks.length, 0);
    const up = await cli('dump', '--source', src.url, '--out', s3.url('shared'), '--s3-endpoint', s3.endpoint, '--chunk-size', '16KiB', '--quiet');
    assert.equal(up.code, 0, up.err);
  });
  after(async () => {
    await src.drop();
    await rm(tmp, { recursive: true, force: true });
    await s3.stop();
  });

  it('two loaders at once: each chunk loaded once, by one of them, both share the work, post-data once; every row exact', async () => {
    const my = await scratchMy('shared2');
    try {
      const a = startLoader(dir, my.url);
      const b = startLoader(dir, my.url);
      assert.equal(await a.exited, 0, a.err());
      assert.equal(await b.exited, 0, b.err());
      const [ca, cb] = [a.chunks() ?? 0, b.chunks() ?? 0];
      assert.equal(ca + cb, chunkCount, `${ca} + ${cb} chunks loaded of ${chunkCount}`);
      assert.ok(ca > 0 && cb > 0, `both loaded chunks: ${ca}, ${cb}`);
      const [journal] = await my.query<{ n: number }>("SELECT COUNT(*) AS n FROM _pgmy_journal WHERE kind = 'chunk'");
      assert.equal(Number(journal?.n), chunkCount);
      const [done] = await my.query<{ n: number }>("SELECT COUNT(*) AS n FROM _pgmy_journal WHERE kind = 'done'");
      assert.equal(Number(done?.n), 1);
      const [events] = await my.query<{ n: number; s: string }>('SELECT COUNT(*) AS n, SUM(v) AS s FROM events');
      assert.equal(Number(events?.n), 40000);
      assert.equal(String(events?.s), String((40000 * 40001) / 2));
      const v = await cli('verify', '--source', src.url, '--target', my.url, dir, '--json');
      assert.equal(v.code, 0, v.out + v.err);
    } finally {
      await my.drop();
    }
  });

  it('one of two loaders of a dump in S3 killed -9 mid-run: the other takes over its chunks at once (its session is gone, so its claims are void), and finishes; every row exact', async (t) => {
    const my = await scratchMy('sharedkill');
    try {
      // A lease far longer than the test: the takeover must come from the dead loader's session being gone.
      const bucket = ['--claim-lease', '600', '--s3-endpoint', s3.endpoint];
      const a = startLoader(s3.url('shared'), my.url, bucket);
      const b = startLoader(s3.url('shared'), my.url, bucket);
      const began = performance.now();
      // Kill a once both are loading chunks and a quarter of them are in (by time, not by a count of polls:
      // two loaders starting on a loaded machine took longer than 400 polls once, and a was killed before any chunk).
      for (const until = performance.now() + 60_000; performance.now() < until;) {
        const [r] = await my.query<{ n: number }>("SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '_pgmy_claims'").catch(() => [{ n: 0 }]);
        if (Number(r?.n) > 0) {
          const [c] = await my.query<{ n: number; j: number }>("SELECT COUNT(DISTINCT owner) AS n, (SELECT COUNT(*) FROM _pgmy_journal WHERE kind = 'chunk') AS j FROM _pgmy_claims");
          if (Number(c?.n) >= 2 && Number(c?.j) >= chunkCount / 4) break;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      const [before] = await my.query<{ n: number }>("SELECT COUNT(*) AS n FROM _pgmy_journal WHERE kind = 'chunk'");
      a.kill();
      await a.exited;
      t.diagnostic(`killed one loader with ${before?.n} of ${chunkCount} chunks journaled`);
      assert.ok(Number(before?.n) > 0 && Number(before?.n) < chunkCount, 'the kill came in the middle of the data');
      assert.equal(await b.exited, 0, b.err());
      assert.ok(performance.now() - began < 120_000, 'the survivor did not wait for the lease');
      const [journal] = await my.query<{ n: number }>("SELECT COUNT(*) AS n FROM _pgmy_journal WHERE kind = 'chunk'");
      assert.equal(Number(journal?.n), chunkCount);
      const [events] = await my.query<{ n: number }>('SELECT COUNT(*) AS n FROM events');
      assert.equal(Number(events?.n), 40000);
      const v = await cli('verify', '--source', src.url, '--target', my.url, dir, '--json');
      assert.equal(v.code, 0, v.out + v.err);
    } finally {
      await my.drop();
    }
  });
});
