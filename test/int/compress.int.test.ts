import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, scratchMy, scratchPg, type ScratchPg } from '../helpers/servers.js';
import { sealed } from '../helpers/manifest.js';

interface ManifestChunk { file: string; rows: number; bytes: number; sha256: string; tsvBytes?: number }
interface ManifestLike { complete: boolean; completedAt?: string; options: { compress?: { name: string; level: number } }; data: Array<{ name: string; complete: boolean; rows: number; bytes: number; chunks: ManifestChunk[]; split?: unknown; parts?: unknown }> }

let src: ScratchPg;
let dir: string;

const manifestOf = async (out: string) => JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as ManifestLike;

/** What the system's own gzip / zstd make of a file: the TSV pgmy would have written uncompressed. */
function systemDecompress(tool: 'gzip' | 'zstd', path: string): Promise<Buffer> {
  return new Promise((resolve, reject) => execFile(tool, ['-dc', path], { encoding: 'buffer', maxBuffer: 64 << 20 }, (err, out) => (err ? reject(new Error(`${tool} -dc ${path} failed: ${err.message}`)) : resolve(out))));
}

before(async () => {
  src = await scratchPg('compress');
  // Values that a codec must carry byte for byte: escapes, control characters, NULLs, bytes, a 3 MB value.
  await src.query(`CREATE TABLE t (id int PRIMARY KEY, v text, b bytea, n numeric, ts timestamptz)`);
  await src.query(`INSERT INTO t SELECT g, CASE WHEN g % 7 = 0 THEN NULL ELSE 'v' || g || E'\\f\\t\\n\\\\N\\r ' || chr(128512) END,
    decode(md5(g::text), 'hex'), g * 1.5, '2024-01-01 00:00:00+00'::timestamptz + g * interval '1 minute' FROM generate_series(1, 30000) g`);
  await src.query(`INSERT INTO t VALUES (0, repeat('big ', 750000), '\\x00ff', NULL, NULL)`);
  await src.query(`CREATE TABLE u (id bigserial PRIMARY KEY, w text NOT NULL)`);
  await src.query(`INSERT INTO u (w) SELECT repeat(chr(65 + g % 26), g % 200) FROM generate_series(1, 5000) g`);
  dir = await mkdtemp(join(tmpdir(), 'pgmy-compress-'));
});

after(async () => {
  await src.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('--compress', () => {
  for (const [codec, tool, ext] of [['gzip', 'gzip', '.gz'], ['zstd:7', 'zstd', '.zst']] as const) {
    test(`${codec}: chunks are ${ext} files the system's ${tool} reads, sha256 of the stored file in the manifest; load and verify are exact`, async () => {
      const out = join(dir, `snap-${tool}`);
      const d = await cli('dump', '--source', src.url, '--out', out, '--compress', codec, '--chunk-size', '256k', '--quiet');
      assert.equal(d.code, 0, d.err);
      const m = await manifestOf(out);
      assert.deepEqual(m.options.compress, tool === 'gzip' ? { name: 'gzip', level: 6 } : { name: 'zstd', level: 7 });
      const chunks = m.data.flatMap((x) => x.chunks);
      assert.ok(chunks.length > 5, `several chunks (${chunks.length})`);
      let tsv = 0;
      for (const c of chunks) {
        assert.ok(c.file.endsWith(`.tsv${ext}`), c.file);
        const stored = await readFile(join(out, c.file));
        assert.equal(stored.length, c.bytes);
        assert.equal(createHash('sha256').update(stored).digest('hex'), c.sha256);
        const plain = await systemDecompress(tool, join(out, c.file));
        assert.equal(plain.length, c.tsvBytes);
        assert.equal(plain.toString('latin1').split('\n').length - 1, c.rows);
        tsv += plain.length;
      }
      const total = m.data.reduce((n, x) => n + x.bytes, 0);
      assert.ok(total < tsv / 2, `compressed: ${total} bytes stored for ${tsv} of TSV`);

      const my = await scratchMy(`cz${tool}`);
      try {
        const l = await cli('load', '--target', my.url, out, '--quiet');
        assert.equal(l.code, 0, l.err);
        const v = await cli('verify', '--source', src.url, '--target', my.url, out);
        assert.equal(v.code, 0, v.out + v.err);
        const big = await my.query<{ n: number }>('SELECT LENGTH(v) AS n FROM t WHERE id = 0');
        assert.equal(Number(big[0]?.n), 3000000);
        const folder = await cli('verify', out);
        assert.equal(folder.code, 0, folder.out + folder.err);
        const inspected = await cli('inspect', out);
        assert.match(inspected.out, new RegExp(`chunks stored with ${tool}, level ${tool === 'gzip' ? 6 : 7} \\(bytes below are as stored\\)`));
      } finally {
        await my.drop();
      }
    });
  }

  test('--method insert reads compressed chunks too', async () => {
    const out = join(dir, 'snap-gzip');
    const my = await scratchMy('czins');
    try {
      const l = await cli('load', '--target', my.url, out, '--method', 'insert', '--quiet');
      assert.equal(l.code, 0, l.err);
      assert.equal((await cli('verify', '--source', src.url, '--target', my.url, out)).code, 0);
    } finally {
      await my.drop();
    }
  });

  test('migrate --compress zstd: the overlapped load reads .zst chunks as they are written', async () => {
    const out = join(dir, 'snap-migrate');
    const my = await scratchMy('czmig');
    try {
      const r = await cli('migrate', '--source', src.url, '--target', my.url, '--out', out, '--compress', 'zstd', '--chunk-size', '256k', '--quiet');
      assert.equal(r.code, 0, r.err);
      assert.ok((await readdir(join(out, 'data', 'public.t'))).every((f) => f.endsWith('.tsv.zst')));
      assert.equal((await cli('verify', '--source', src.url, '--target', my.url, out)).code, 0);
    } finally {
      await my.drop();
    }
  });

  for (const codec of ['none', 'gzip', 'zstd']) {
    test(`a damaged chunk (${codec}) stops its load, named, with either method; nothing of it is kept`, async () => {
      const out = join(dir, `snap-damaged-${codec}`);
      assert.equal((await cli('dump', '--source', src.url, '--out', out, '--compress', codec, '--chunk-size', '256k', '--tables', 'u', '--quiet')).code, 0);
      const chunks = (await manifestOf(out)).data[0]?.chunks ?? [];
      const c = chunks[0] as ManifestChunk;
      const bytes = await readFile(join(out, c.file));
      const at = Math.floor(bytes.length / 2);
      bytes[at] = (bytes[at] as number) ^ 0x55;
      await writeFile(join(out, c.file), bytes);
      const file = c.file.replace(/[.]/g, '\\.');
      const my = await scratchMy('czbad');
      try {
        for (const method of ['infile', 'insert']) {
          const l = await cli('load', '--target', my.url, out, '--method', method, '--jobs', '1');
          assert.equal(l.code, 1, `${method}: ${l.err}`);
          assert.match(l.err, new RegExp(`Chunk \\S*${file} (is damaged|cannot be decompressed)`), `${method}: ${l.err}`);
          const journaled = await my.query<{ item: string }>("SELECT item FROM _pgmy_journal WHERE kind = 'chunk'");
          assert.ok(!journaled.some((j) => j.item === c.file), `${method}: the damaged chunk is not recorded as loaded`);
          const n = await my.query<{ n: number }>('SELECT COUNT(*) AS n FROM u');
          const others = chunks.filter((x) => journaled.some((j) => j.item === x.file)).reduce((k, x) => k + x.rows, 0);
          assert.equal(Number(n[0]?.n), others, `${method}: only the rows of the chunks recorded as loaded are there`);
        }
      } finally {
        await my.drop();
      }
    });
  }

  test('a dump resumed with another --compress keeps what it had; load reads the mix', async () => {
    const out = join(dir, 'snap-mixed');
    assert.equal((await cli('dump', '--source', src.url, '--out', out, '--compress', 'gzip', '--chunk-size', '256k', '--quiet')).code, 0);
    // As if the dump had stopped before u was done.
    const m = await manifestOf(out);
    m.complete = false;
    delete m.completedAt;
    for (const x of m.data) {
      if (x.name !== 'u') continue;
      Object.assign(x, { complete: false, rows: 0, bytes: 0, chunks: [] });
      delete x.split;
      delete x.parts;
    }
    await writeFile(join(out, 'manifest.json'), sealed(m));
    assert.equal((await cli('dump', '--source', src.url, '--out', out, '--compress', 'zstd', '--chunk-size', '256k', '--quiet')).code, 0);
    const files = (await manifestOf(out)).data.flatMap((x) => x.chunks.map((c) => c.file));
    assert.ok(files.filter((f) => f.startsWith('data/public.u/')).every((f) => f.endsWith('.zst')), `u redone with zstd: ${files.join(' ')}`);
    assert.ok(files.filter((f) => f.startsWith('data/public.t/')).every((f) => f.endsWith('.gz')), 't kept as gzip');
    const my = await scratchMy('czmix');
    try {
      assert.equal((await cli('load', '--target', my.url, out, '--quiet')).code, 0);
      assert.equal((await cli('verify', '--source', src.url, '--target', my.url, out)).code, 0);
    } finally {
      await my.drop();
    }
  });

  test('without the zstd program: dump and load say so before any data moves; a bad --compress is a usage error', async () => {
    const out = join(dir, 'snap-nozstd');
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    const my = await scratchMy('cznozstd');
    try {
      const d = await cli('dump', '--source', src.url, '--out', out, '--compress', 'zstd');
      assert.equal(d.code, 2, d.err);
      assert.match(d.err, /The zstd program is needed for compressing chunks \(--compress zstd\) but is not installed/);
      assert.match(d.err, /apt-get install zstd/);
      assert.equal(await readdir(out).then((f) => f.length, () => 0), 0, 'nothing written');
      const l = await cli('load', '--target', my.url, join(dir, 'snap-zstd'));
      assert.equal(l.code, 2, l.err);
      assert.match(l.err, /The zstd program is needed for reading the \.zst chunks of this dump but is not installed/);
      const tables = await my.query<{ n: number }>('SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE()');
      assert.equal(Number(tables[0]?.n), 0, 'not even the tables were created');
    } finally {
      process.env.PATH = path;
      await my.drop();
    }
    const bad = await cli('dump', '--source', src.url, '--out', out, '--compress', 'lz4');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--compress lz4 is not understood.*gzip:1 to gzip:9/s);
  });
});
