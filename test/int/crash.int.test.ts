import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
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

type Trigger = { readonly kind: 'time'; readonly ms: number } | { readonly kind: 'progress'; readonly atLeast: number };

/**
 * Runs the CLI in a child process and SIGKILLs it at the trigger: after some milliseconds (start-up), or once
 * `progress()` reports at least so many chunks done. Progress, not time, places most kills: under load the
 * same moment in time falls in a different phase.
 */
async function runAndKill(args: string[], trigger: Trigger, progress: () => Promise<number>): Promise<'killed' | 'finished'> {
  const child = spawn(process.execPath, [BIN, ...args, '--quiet'], { stdio: 'ignore' });
  let exited = false;
  const exit = new Promise<string | null>((resolve) => child.once('exit', (_c, signal) => { exited = true; resolve(signal); }));
  const t0 = performance.now();
  while (!exited) {
    const due = trigger.kind === 'time' ? performance.now() - t0 >= trigger.ms : (await progress()) >= trigger.atLeast;
    if (due && !exited) {
      child.kill('SIGKILL');
      break;
    }
    await new Promise((r) => setTimeout(r, trigger.kind === 'time' ? 1 : 3));
  }
  return (await exit) === 'SIGKILL' ? 'killed' : 'finished';
}

/** 3 kills during start-up, 14 spread over the chunks, 3 once every chunk is done (post-data, manifest). */
function triggers(totalChunks: number): Trigger[] {
  return [
    ...[20, 150, 350].map((ms) => ({ kind: 'time' as const, ms: ms + Math.round(Math.random() * 100) })),
    ...Array.from({ length: KILLS - 6 }, (_, i) => ({ kind: 'progress' as const, atLeast: Math.max(1, Math.round(((i + Math.random()) / (KILLS - 6)) * (totalChunks - 1))) })),
    ...[0, 1, 2].map(() => ({ kind: 'progress' as const, atLeast: totalChunks })),
  ];
}

async function countChunkFiles(dir: string): Promise<number> {
  const tables = await readdir(join(dir, 'data')).catch(() => [] as string[]);
  let n = 0;
  for (const t of tables) n += (await readdir(join(dir, 'data', t)).catch(() => [] as string[])).filter((f) => f.endsWith('.tsv')).length;
  return n;
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
    const landed = { before: 0, midData: 0, afterData: 0, finished: 0 };
    const journaled = async (db: string): Promise<number> => {
      const [j] = await conn.query(`SELECT COUNT(*) AS n FROM \`${db}\`._pgmy_journal WHERE kind = 'chunk'`).catch(() => [[{ n: 0 }]]);
      return Number((j as Array<{ n: number }>)[0]?.n ?? 0);
    };
    try {
      for (const trigger of triggers(totalChunks)) {
        const db = scratchName('crashload');
        try {
          const outcome = await runAndKill(['load', '--target', `${MY_BASE}/${db}`, golden, '--jobs', '2'], trigger, () => journaled(db));
          const loaded = await journaled(db);
          if (outcome === 'finished') landed.finished++;
          else if (loaded === 0) landed.before++;
          else if (loaded < totalChunks) landed.midData++;
          else landed.afterData++;
          const again = await cli('load', '--target', `${MY_BASE}/${db}`, golden, '--jobs', '2', '--quiet');
          assert.equal(again.code, 0, `re-run after a kill at ${JSON.stringify(trigger)}: ${again.err}`);
          const v = await verify({ source: src.url, target: `${MY_BASE}/${db}`, dir: golden });
          assert.ok(v.match, `after a kill at ${JSON.stringify(trigger)} (${loaded}/${totalChunks} chunks journaled): ${JSON.stringify(v.tables.filter((x) => !x.match))}`);
        } finally {
          await conn.query(`DROP DATABASE IF EXISTS \`${db}\``);
        }
      }
    } finally {
      await conn.end();
    }
    t.diagnostic(`load of ${totalChunks} chunks; kills landed: ${JSON.stringify(landed)}`);
    assert.ok(landed.midData >= 10, `at least 10 kills in the middle of the data (${JSON.stringify(landed)})`);
    assert.ok(landed.finished <= 3, `most runs were really killed (${JSON.stringify(landed)})`);
  });

  it(`pgmy dump killed at ${KILLS} moments, each followed by a re-run, then loaded and verified`, async (t) => {
    const manifest = JSON.parse(await readFile(join(golden, 'manifest.json'), 'utf8')) as { data: Array<{ chunks: unknown[] }> };
    const totalChunks = manifest.data.reduce((n, d) => n + d.chunks.length, 0);
    const landed = { noManifest: 0, partial: 0, afterComplete: 0, finished: 0 };
    const conn = await myConn();
    try {
      for (const [i, trigger] of triggers(totalChunks).entries()) {
        const out = join(tmp, `dump-${i}`);
        const outcome = await runAndKill(['dump', '--source', src.url, '--out', out, '--chunk-size', CHUNK, '--jobs', '2'], trigger, () => countChunkFiles(out));
        const m = await readFile(join(out, 'manifest.json'), 'utf8').then((x) => JSON.parse(x) as { complete: boolean; data: Array<{ complete: boolean }> }, () => undefined);
        if (outcome === 'finished') landed.finished++;
        else if (!m) landed.noManifest++;
        else if (m.complete) {
          // Killed after the dump had finished (while it wrote its report or closed its sessions): the
          // manifest may say complete only when the folder is, every table and every chunk.
          assert.ok(m.data.every((d) => d.complete), `a manifest marked complete has every table complete (kill at ${JSON.stringify(trigger)})`);
          assert.deepEqual((await verifyDumpFolder(out)).problems, [], 'and every chunk it lists intact');
          landed.afterComplete++;
        } else landed.partial++;
        const again = await cli('dump', '--source', src.url, '--out', out, '--chunk-size', CHUNK, '--jobs', '2', '--quiet');
        if (outcome === 'finished' || m?.complete) {
          assert.equal(again.code, 2, 'dumping into a complete dump is refused');
        } else {
          assert.equal(again.code, 0, `re-run after a kill at ${JSON.stringify(trigger)}: ${again.err}`);
        }
        const check = await verifyDumpFolder(out);
        assert.deepEqual([check.complete, check.problems], [true, []]);
        const db = scratchName('crashdump');
        try {
          const l = await cli('load', '--target', `${MY_BASE}/${db}`, out, '--quiet');
          assert.equal(l.code, 0, l.err);
          const v = await verify({ source: src.url, target: `${MY_BASE}/${db}`, dir: out });
          assert.ok(v.match, `dump killed at ${JSON.stringify(trigger)}: ${JSON.stringify(v.tables.filter((x) => !x.match))}`);
        } finally {
          await conn.query(`DROP DATABASE IF EXISTS \`${db}\``);
          await rm(out, { recursive: true, force: true });
        }
      }
    } finally {
      await conn.end();
    }
    t.diagnostic(`dump of ${totalChunks} chunks; kills landed: ${JSON.stringify(landed)}`);
    assert.ok(landed.partial >= 10, `at least 10 kills after the manifest was first written (${JSON.stringify(landed)})`);
    assert.ok(landed.finished + landed.afterComplete <= 3, `most runs were really killed before the end (${JSON.stringify(landed)})`);
  });

  it('pgmy migrate (dump and load overlapped) killed at 12 moments, each followed by the same command again', async (t) => {
    const manifest = JSON.parse(await readFile(join(golden, 'manifest.json'), 'utf8')) as { data: Array<{ chunks: unknown[] }> };
    const totalChunks = manifest.data.reduce((n, d) => n + d.chunks.length, 0);
    const conn = await myConn();
    const journaled = async (db: string): Promise<number> => {
      const [j] = await conn.query(`SELECT COUNT(*) AS n FROM \`${db}\`._pgmy_journal WHERE kind = 'chunk'`).catch(() => [[{ n: 0 }]]);
      return Number((j as Array<{ n: number }>)[0]?.n ?? 0);
    };
    const landed = { beforeLoad: 0, dumpRunning: 0, dumpDone: 0, finished: 0 };
    const moments: Trigger[] = [
      ...[30, 250].map((ms) => ({ kind: 'time' as const, ms })),
      ...Array.from({ length: 8 }, (_, i) => ({ kind: 'progress' as const, atLeast: Math.max(1, Math.round(((i + Math.random()) / 8) * (totalChunks - 1))) })),
      ...[0, 1].map(() => ({ kind: 'progress' as const, atLeast: totalChunks })),
    ];
    try {
      for (const [i, trigger] of moments.entries()) {
        const db = scratchName('crashmig');
        const out = join(tmp, `migrate-${i}`);
        const args = ['migrate', '--source', src.url, '--target', `${MY_BASE}/${db}`, '--out', out, '--chunk-size', CHUNK, '--jobs', '2'];
        try {
          const outcome = await runAndKill(args, trigger, () => journaled(db));
          const m = await readFile(join(out, 'manifest.json'), 'utf8').then((x) => JSON.parse(x) as { complete: boolean }, () => undefined);
          if (outcome === 'finished') landed.finished++;
          else if ((await journaled(db)) === 0) landed.beforeLoad++;
          else if (!m?.complete) landed.dumpRunning++;
          else landed.dumpDone++;
          const again = await cli(...args, '--quiet');
          assert.equal(again.code, 0, `re-run after a kill at ${JSON.stringify(trigger)}: ${again.err}`);
          const v = await verify({ source: src.url, target: `${MY_BASE}/${db}`, dir: out });
          assert.ok(v.match, `migrate killed at ${JSON.stringify(trigger)}: ${JSON.stringify(v.tables.filter((x) => !x.match))}`);
          assert.deepEqual((await verifyDumpFolder(out)).problems, [], 'the folder holds a complete, intact dump');
        } finally {
          await conn.query(`DROP DATABASE IF EXISTS \`${db}\``);
          await rm(out, { recursive: true, force: true });
        }
      }
    } finally {
      await conn.end();
    }
    t.diagnostic(`migrate of ${totalChunks} chunks; kills landed: ${JSON.stringify(landed)}`);
    assert.ok(landed.dumpRunning + landed.dumpDone >= 6, `most kills landed after loading began (${JSON.stringify(landed)})`);
  });
});
