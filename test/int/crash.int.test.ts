import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import { dump } from '../../src/dump/dump.js';
import { verify } from '../../src/verify/verify.js';
import { verifyDumpFolder } from '../../src/verify/verify-dump.js';
import { cli, MY_BASE, scratchName, scratchPg, type ScratchPg } from '../helpers/servers.js';

const FIXTURE = new URL('../../../test/fixtures/django-shop.sql', import.meta.url).pathname;
const BIN = new URL('../../../bin/pgmy.js', import.meta.url).pathname;
const KILLS = 20;
const CHUNK = '16KiB';

/** Runs the CLI in a child process and SIGKILLs it after `ms` milliseconds (or lets it finish first). */
async function runAndKill(args: string[], ms: number): Promise<'killed' | 'finished'> {
  const child = spawn(process.execPath, [BIN, ...args, '--quiet'], { stdio: 'ignore' });
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  const [, signal] = (await new Promise((resolve) => child.once('exit', (...a) => resolve(a)))) as [number | null, string | null];
  clearTimeout(timer);
  return signal === 'SIGKILL' ? 'killed' : 'finished';
}

/** Runs the CLI to the end, noting when the progress lines matching `dataStart` and `dataEnd` first appear. */
async function phases(args: string[], dataStart: RegExp, dataEnd: RegExp): Promise<{ start: number; end: number; total: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let start = 0;
  let end = 0;
  let err = '';
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
    if (!start && dataStart.test(err)) start = performance.now() - t0;
    if (!end && dataEnd.test(err)) end = performance.now() - t0;
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  const total = performance.now() - t0;
  assert.equal(code, 0, err);
  return { start, end: end || total, total };
}

/**
 * Kill moments: a few before the data moves (start-up, connections, DDL), most while it moves, a few in
 * what follows (post-data steps, manifest), each at a random point of its slot.
 */
function moments(p: { start: number; end: number; total: number }): number[] {
  const slots: Array<[number, number, number]> = [[0, p.start, 3], [p.start, p.end, KILLS - 6], [p.end, p.total * 1.05, 3]];
  return slots.flatMap(([from, to, n]) => Array.from({ length: n }, (_, i) => Math.round(from + ((i + Math.random()) / n) * (to - from))));
}

async function myConn() {
  return mysql.createConnection({ uri: MY_BASE, supportBigNumbers: true, bigNumberStrings: true });
}

describe('kill -9 at any moment, run again: exactly the right rows', () => {
  let src: ScratchPg;
  let tmp: string;
  let golden: string;

  before(async () => {
    src = await scratchPg('crash', [FIXTURE]);
    tmp = await mkdtemp(join(tmpdir(), 'pgmy-crash-'));
    golden = join(tmp, 'golden');
    await dump({ source: src.url, out: golden, chunkSize: 16 * 1024, jobs: 2 });
  });
  after(async () => {
    await src?.drop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it(`pgmy load killed at ${KILLS} moments, each followed by a re-run`, async (t) => {
    const manifest = JSON.parse(await readFile(join(golden, 'manifest.json'), 'utf8')) as { data: Array<{ chunks: unknown[] }> };
    const totalChunks = manifest.data.reduce((n, d) => n + d.chunks.length, 0);
    const conn = await myConn();
    const probe = scratchName('crashprobe');
    const timing = await phases(['load', '--target', `${MY_BASE}/${probe}`, golden, '--jobs', '1'], /^loading into/m, /^added /m);
    await conn.query(`DROP DATABASE IF EXISTS \`${probe}\``);
    const landed = { before: 0, midData: 0, afterData: 0, finished: 0 };
    try {
      for (const ms of moments(timing)) {
        const db = scratchName('crashload');
        try {
          const outcome = await runAndKill(['load', '--target', `${MY_BASE}/${db}`, golden, '--jobs', '1'], ms);
          const [rows] = await conn.query(`SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = '_pgmy_journal'`, [db]);
          let loaded = 0;
          if (Number((rows as Array<{ n: number }>)[0]?.n) > 0) {
            const [j] = await conn.query(`SELECT COUNT(*) AS n FROM \`${db}\`._pgmy_journal WHERE kind = 'chunk'`);
            loaded = Number((j as Array<{ n: number }>)[0]?.n);
          }
          if (outcome === 'finished') landed.finished++;
          else if (loaded === 0) landed.before++;
          else if (loaded < totalChunks) landed.midData++;
          else landed.afterData++;
          const again = await cli('load', '--target', `${MY_BASE}/${db}`, golden, '--jobs', '2', '--quiet');
          assert.equal(again.code, 0, `re-run after a kill at ${ms} ms: ${again.err}`);
          const v = await verify({ source: src.url, target: `${MY_BASE}/${db}`, dir: golden });
          assert.ok(v.match, `after a kill at ${ms} ms (${loaded}/${totalChunks} chunks journaled): ${JSON.stringify(v.tables.filter((x) => !x.match))}`);
        } finally {
          await conn.query(`DROP DATABASE IF EXISTS \`${db}\``);
        }
      }
    } finally {
      await conn.end();
    }
    t.diagnostic(`load: data from ${Math.round(timing.start)} to ${Math.round(timing.end)} of ${Math.round(timing.total)} ms, ${totalChunks} chunks; kills landed: ${JSON.stringify(landed)}`);
    assert.ok(landed.midData >= 8, `at least 8 kills in the middle of the data (${JSON.stringify(landed)})`);
    assert.ok(landed.finished <= 3, `most runs were really killed (${JSON.stringify(landed)})`);
  });

  it(`pgmy dump killed at ${KILLS} moments, each followed by a re-run, then loaded and verified`, async (t) => {
    const probeDir = join(tmp, 'dump-probe');
    const timing = await phases(['dump', '--source', src.url, '--out', probeDir, '--chunk-size', CHUNK, '--jobs', '2'], /^dumping \d+ tables/m, /(?!)/); // tables finish in any order: the data phase lasts to the end
    const landed = { noManifest: 0, partial: 0, finished: 0 };
    const conn = await myConn();
    try {
      for (const [i, ms] of moments(timing).entries()) {
        const out = join(tmp, `dump-${i}`);
        const outcome = await runAndKill(['dump', '--source', src.url, '--out', out, '--chunk-size', CHUNK, '--jobs', '2'], ms);
        const m = await readFile(join(out, 'manifest.json'), 'utf8').then((x) => JSON.parse(x) as { complete: boolean }, () => undefined);
        if (outcome === 'finished') landed.finished++;
        else if (!m) landed.noManifest++;
        else {
          assert.equal(m.complete, false, 'a killed dump never looks complete');
          landed.partial++;
        }
        const again = await cli('dump', '--source', src.url, '--out', out, '--chunk-size', CHUNK, '--jobs', '2', '--quiet');
        if (outcome === 'finished') {
          assert.equal(again.code, 2, 'dumping into a complete dump is refused');
        } else {
          assert.equal(again.code, 0, `re-run after a kill at ${ms} ms: ${again.err}`);
        }
        const check = await verifyDumpFolder(out);
        assert.deepEqual([check.complete, check.problems], [true, []]);
        const db = scratchName('crashdump');
        try {
          const l = await cli('load', '--target', `${MY_BASE}/${db}`, out, '--quiet');
          assert.equal(l.code, 0, l.err);
          const v = await verify({ source: src.url, target: `${MY_BASE}/${db}`, dir: out });
          assert.ok(v.match, `dump killed at ${ms} ms: ${JSON.stringify(v.tables.filter((x) => !x.match))}`);
        } finally {
          await conn.query(`DROP DATABASE IF EXISTS \`${db}\``);
          await rm(out, { recursive: true, force: true });
        }
      }
    } finally {
      await conn.end();
    }
    t.diagnostic(`dump: data from ${Math.round(timing.start)} to ${Math.round(timing.end)} of ${Math.round(timing.total)} ms; kills landed: ${JSON.stringify(landed)}`);
    assert.ok(landed.partial >= 8, `at least 8 kills after the manifest was first written (${JSON.stringify(landed)})`);
    assert.ok(landed.finished <= 3, `most runs were really killed (${JSON.stringify(landed)})`);
  });
});
