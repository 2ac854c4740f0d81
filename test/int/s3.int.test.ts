import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { cli, scratchMy, scratchPg, type ScratchPg } from '../helpers/servers.js';
import { BUCKET, localS3, type LocalS3 } from '../helpers/s3.js';

const FIXTURE = new URL('../../../test/fixtures/django-shop.sql', import.meta.url).pathname;
const BIN = new URL('../../../bin/pgmy.js', import.meta.url).pathname;

describe('a dump folder in S3-compatible object storage (issue 14)', () => {
  let s3: LocalS3;
  let src: ScratchPg;
  let client: S3Client;
  before(async () => {
    s3 = await localS3();
    src = await scratchPg('s3src', [FIXTURE]);
    // Over 5 MiB in one chunk: stored by a multipart upload, not one PUT.
    await src.query(`CREATE TABLE blob_rows (id int PRIMARY KEY, body text NOT NULL);
      INSERT INTO blob_rows SELECT g, repeat(md5(g::text), 200) || E'\\t\\\\ \\f' FROM generate_series(1, 2000) g`);
    client = new S3Client({ endpoint: s3.endpoint, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
  });
  after(async () => {
    await src.drop();
    await s3.stop();
  });

  /** verify of the source against the target, through the dump in the bucket: every row the same. */
  const assertSame = async (target: string, prefix: string) => {
    const v = await cli('verify', '--source', src.url, '--target', target, s3.url(prefix), '--s3-endpoint', s3.endpoint, '--json');
    assert.equal(v.code, 0, v.out + v.err);
    assert.equal((JSON.parse(v.out) as { match: boolean }).match, true);
  };
  const keys = async (prefix: string) => ((await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${prefix}/` }))).Contents ?? []).map((c) => c.Key?.slice(prefix.length + 1));

  it('dump --out s3://, then load, verify and inspect read it from the bucket: every row exact', async () => {
    const dumped = await cli('dump', '--source', src.url, '--out', s3.url('shop'), '--s3-endpoint', s3.endpoint, '--chunk-size', '32MiB', '--quiet');
    assert.equal(dumped.code, 0, dumped.err);
    const stored = await keys('shop');
    for (const f of ['manifest.json', 'schema.sql', 'post-data.sql', 'report.json', 'report.html']) assert.ok(stored.includes(f), `${f} in ${stored.join(', ')}`);
    const blob = stored.find((k) => k?.startsWith('data/public.blob_rows/'));
    assert.ok(blob, stored.join(', '));
    const head = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: `shop/${blob}` }));
    assert.ok((head.ContentLength ?? 0) > 5 * 1024 * 1024, `the chunk took several parts: ${head.ContentLength}`);
    assert.ok(!stored.some((k) => k?.endsWith('.partial')), 'no temporary objects');

    const my = await scratchMy('s3load');
    try {
      const loaded = await cli('load', s3.url('shop'), '--target', my.url, '--s3-endpoint', s3.endpoint, '--quiet');
      assert.equal(loaded.code, 0, loaded.err);
      const v = await cli('verify', '--source', src.url, '--target', my.url, s3.url('shop'), '--s3-endpoint', s3.endpoint, '--json');
      assert.equal(v.code, 0, v.out + v.err);
      const result = JSON.parse(v.out) as { match: boolean; tables: Array<{ sourceRows: number; targetRows: number }> };
      assert.equal(result.match, true);
      assert.ok(result.tables.length >= 5 && result.tables.every((t) => t.sourceRows === t.targetRows));
      const [row] = await my.query<{ n: number; tail: string }>('SELECT COUNT(*) AS n, MAX(RIGHT(body, 4)) AS tail FROM blob_rows');
      assert.equal(Number(row?.n), 2000);
      assert.equal(row?.tail, '\t\\ \f');
      const checked = await cli('verify', s3.url('shop'), '--s3-endpoint', s3.endpoint, '--json');
      assert.equal(checked.code, 0, checked.out + checked.err);
      assert.deepEqual((JSON.parse(checked.out) as { problems: unknown[] }).problems, []);
      const seen = await cli('inspect', s3.url('shop'), '--s3-endpoint', s3.endpoint, '--target', my.url);
      assert.equal(seen.code, 0, seen.err);
      assert.match(seen.out, /complete/);
      assert.match(seen.out, /blob_rows/);
      assert.match(seen.out, /finished/);
    } finally {
      await my.drop();
    }
  });

  it('a chunk changed in the bucket: load stops before loading it, naming the chunk; verify DIR names it too', async () => {
    const dumped = await cli('dump', '--source', src.url, '--out', s3.url('damaged'), '--s3-endpoint', s3.endpoint, '--quiet');
    assert.equal(dumped.code, 0, dumped.err);
    const chunk = (await keys('damaged')).find((k) => k?.startsWith('data/public.blob_rows/')) as string;
    const body = Buffer.from(await (await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: `damaged/${chunk}` }))).Body!.transformToByteArray());
    body[100] = body[100] === 0x61 ? 0x62 : 0x61;
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `damaged/${chunk}`, Body: body }));
    const my = await scratchMy('s3bad');
    try {
      const loaded = await cli('load', s3.url('damaged'), '--target', my.url, '--s3-endpoint', s3.endpoint, '--quiet');
      assert.notEqual(loaded.code, 0);
      assert.match(loaded.err, new RegExp(`s3://${BUCKET}/damaged/${chunk.replace(/\./g, '\\.')} is damaged: its sha256`));
      const [row] = await my.query<{ n: number }>('SELECT COUNT(*) AS n FROM blob_rows');
      assert.equal(Number(row?.n), 0, 'nothing of the damaged chunk was loaded');
    } finally {
      await my.drop();
    }
    const checked = await cli('verify', s3.url('damaged'), '--s3-endpoint', s3.endpoint);
    assert.equal(checked.code, 3);
    assert.match(checked.out, new RegExp(`damaged: ${chunk.replace(/\./g, '\\.')}: sha256`));
  });

  it('a dump killed -9 while it uploads, run again: resumed, then loaded with every row exact', async (t) => {
    const args = (out: string) => [BIN, 'dump', '--source', src.url, '--out', out, '--s3-endpoint', s3.endpoint, '--chunk-size', '16KiB', '--jobs', '2', '--quiet'];
    const began = performance.now();
    const whole = await new Promise<number>((resolve, reject) => spawn(process.execPath, args(s3.url('timing')), { stdio: 'ignore' })
      .once('exit', (code) => (code === 0 ? resolve(performance.now() - began) : reject(new Error(`timing dump exited ${code}`)))));
    const kills: string[] = [];
    let finished = false;
    for (const f of [0.3, 0.45, 0.6]) {
      const child = spawn(process.execPath, args(s3.url('killed')), { stdio: 'ignore' });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      const ms = Math.round(whole * f);
      const first = await Promise.race([exited, new Promise<'due'>((r) => setTimeout(() => r('due'), ms))]);
      if (first === 'due') child.kill('SIGKILL');
      const code = await exited;
      // Each run resumes the last one's work: one may finish the dump before its kill comes.
      if (code === 0) {
        kills.push(`${ms} ms: finished first`);
        finished = true;
        break;
      }
      assert.equal(code, null, 'killed, not failed');
      kills.push(`${ms} ms`);
    }
    t.diagnostic(`a whole dump: ${Math.round(whole)} ms; kills: ${kills.join(', ')}`);
    assert.ok(kills.some((k) => !k.includes('finished')), `a kill landed: ${kills.join(', ')}`);
    if (!finished) {
      const again = await cli('dump', '--source', src.url, '--out', s3.url('killed'), '--s3-endpoint', s3.endpoint, '--chunk-size', '16KiB', '--quiet');
      assert.equal(again.code, 0, again.err);
    }
    const my = await scratchMy('s3kill');
    try {
      const loaded = await cli('load', s3.url('killed'), '--target', my.url, '--s3-endpoint', s3.endpoint, '--quiet');
      assert.equal(loaded.code, 0, loaded.err);
      await assertSame(my.url, 'killed');
    } finally {
      await my.drop();
    }
  });

  it('migrate --out s3:// with gzip chunks: the load follows the chunks as their uploads complete; the bucket ends up holding the whole dump', async () => {
    const my = await scratchMy('s3mig');
    try {
      const moved = await cli('migrate', '--source', src.url, '--target', my.url, '--out', s3.url('migrated'), '--s3-endpoint', s3.endpoint, '--chunk-size', '64KiB', '--compress', 'gzip', '--quiet');
      assert.equal(moved.code, 0, moved.err);
      assert.ok((await keys('migrated')).some((k) => k?.endsWith('.tsv.gz')), 'chunks stored gzipped');
      await assertSame(my.url, 'migrated');
      const checked = await cli('verify', s3.url('migrated'), '--s3-endpoint', s3.endpoint);
      assert.equal(checked.code, 0, checked.out + checked.err);
      assert.match(checked.out, /all intact/);
    } finally {
      await my.drop();
    }
  });

  it('load --follow on another machine\'s dump while it runs: tables load as the dump completes them; every row exact', async () => {
    const my = await scratchMy('s3follow');
    try {
      const dumper = spawn(process.execPath, [BIN, 'dump', '--source', src.url, '--out', s3.url('followed'), '--s3-endpoint', s3.endpoint, '--chunk-size', '16KiB', '--jobs', '2', '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let dumpErr = '';
      dumper.stderr.on('data', (d: Buffer) => { dumpErr += d.toString(); });
      let dumpEnded = Infinity;
      const dumped = new Promise<number | null>((resolve) => dumper.once('exit', (code) => { dumpEnded = performance.now(); resolve(code); }));
      const loader = spawn(process.execPath, [BIN, 'load', s3.url('followed'), '--follow', '--target', my.url, '--s3-endpoint', s3.endpoint, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let firstChunk = Infinity;
      let loadErr = '';
      loader.stdout.on('data', (d: Buffer) => { if (d.toString().includes('"chunk-done"')) firstChunk = Math.min(firstChunk, performance.now()); });
      loader.stderr.on('data', (d: Buffer) => { loadErr += d.toString(); });
      const loaded = new Promise<number | null>((resolve) => loader.once('exit', (code) => resolve(code)));
      // The dump runs in slices of 40 ms; between them it is stopped (its manifest then holds still) and the
      // manifest is read. Once it has a table complete and the dump not, the dump stays stopped until the
      // follower has loaded a chunk: proof that the load goes on while the dump is unfinished, whatever the timing.
      let paused = false;
      for (let i = 0; i < 1000 && !paused && dumpEnded === Infinity; i++) {
        dumper.kill('SIGCONT');
        await new Promise((r) => setTimeout(r, 40));
        dumper.kill('SIGSTOP');
        const text = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'followed/manifest.json' })).then((r) => r.Body?.transformToString(), () => undefined).catch(() => undefined);
        const m = (() => { try { return text ? JSON.parse(text) as { complete: boolean; data: Array<{ complete: boolean }> } : undefined; } catch { return undefined; } })();
        paused = m !== undefined && !m.complete && m.data.some((d) => d.complete);
      }
      assert.ok(paused, 'the dump was caught with a table complete and the dump not');
      for (let i = 0; i < 600 && firstChunk === Infinity; i++) await new Promise((r) => setTimeout(r, 100));
      const whilePaused = firstChunk !== Infinity;
      dumper.kill('SIGCONT');
      assert.equal(await dumped, 0, dumpErr);
      assert.equal(await loaded, 0, loadErr);
      assert.ok(whilePaused && firstChunk < dumpEnded, 'the follower loaded a chunk while the dump was paused unfinished');
      await assertSame(my.url, 'followed');
    } finally {
      await my.drop();
    }
  });

  it('a bucket that does not exist, or a server that is not there: a clear error before anything is read', async () => {
    const missing = await cli('dump', '--source', src.url, '--out', 's3://no-such-bucket-pgmy/x', '--s3-endpoint', s3.endpoint);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /NoSuchBucket/);
    assert.match(missing.err, /Create the bucket first/);
    const away = await cli('load', s3.url('shop'), '--target', 'mysql://root@127.0.0.1/none', '--s3-endpoint', 'http://127.0.0.1:9');
    assert.notEqual(away.code, 0);
    assert.match(away.err, /S3 failed reading s3:\/\/pgmy-test\/shop\/manifest\.json: .*ECONNREFUSED/);
    assert.match(away.err, /Check that the S3 endpoint is reachable/);
  });
});
