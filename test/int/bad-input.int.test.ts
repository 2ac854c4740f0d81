import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dump } from '../../src/dump/dump.js';
import { PgmyError } from '../../src/errors.js';
import type { Manifest } from '../../src/model/dump-format/manifest.js';
import { load } from '../../src/load/load.js';
import { cli, MY_BASE, PG_BASE, scratchMy, scratchPg, type ScratchMy, type ScratchPg } from '../helpers/servers.js';
import { sealed } from '../helpers/manifest.js';

interface ManifestLike { data: Array<{ name: string; rows: number; bytes: number; chunks: Array<{ file: string; rows: number; bytes: number; sha256: string }> }> }

describe('bad input is refused clearly and loads nothing from it', () => {
  let src: ScratchPg;
  let tmp: string;
  let golden: string;
  const targets: ScratchMy[] = [];

  before(async () => {
    src = await scratchPg('bad');
    await src.query(`CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, qty int);
      INSERT INTO items SELECT i, 'item ' || i, i % 7 FROM generate_series(1, 500) i;
      CREATE TABLE other (id int PRIMARY KEY); INSERT INTO other SELECT generate_series(1, 10);`);
    tmp = await mkdtemp(join(tmpdir(), 'pgmy-bad-'));
    golden = join(tmp, 'golden');
    await dump({ source: src.url, out: golden, jobs: 1 });
  });
  after(async () => {
    await src?.drop();
    for (const t of targets) await t.drop();
    await rm(tmp, { recursive: true, force: true });
  });

  async function copyOfDump(name: string): Promise<{ dir: string; manifest: ManifestLike; itemsChunk: string }> {
    const dir = join(tmp, name);
    await cp(golden, dir, { recursive: true });
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as ManifestLike;
    const file = manifest.data.find((d) => d.name === 'items')?.chunks[0]?.file;
    assert.ok(file);
    return { dir, manifest, itemsChunk: join(dir, file) };
  }

  async function target(): Promise<ScratchMy> {
    const t = await scratchMy('bad');
    targets.push(t);
    return t;
  }

  async function rowsIn(t: ScratchMy, table: string): Promise<number> {
    const exists = await t.query<{ n: number }>('SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?', [table]);
    if (Number(exists[0]?.n) === 0) return 0;
    const [r] = await t.query<{ n: number }>(`SELECT COUNT(*) AS n FROM \`${table}\``);
    return Number(r?.n);
  }

  it('a chunk with one byte changed: refused by sha256, naming the file, nothing from it loaded', async () => {
    const { dir, itemsChunk } = await copyOfDump('flipped');
    const bytes = await readFile(itemsChunk);
    bytes[10] = bytes[10] === 0x31 ? 0x32 : 0x31;
    await writeFile(itemsChunk, bytes);
    const t = await target();
    const r = await cli('load', '--target', t.url, dir, '--jobs', '1');
    assert.equal(r.code, 1);
    assert.match(r.err, new RegExp(`Chunk ${itemsChunk.replace(/[.]/g, '\\.')} is damaged: its sha256 is`));
    assert.equal(await rowsIn(t, 'items'), 0);
  });

  it('a truncated chunk: refused before anything is loaded', async () => {
    const { dir, itemsChunk } = await copyOfDump('truncated');
    await truncate(itemsChunk, 100);
    const t = await target();
    await assert.rejects(load({ target: t.url, dir }), (e: unknown) =>
      e instanceof PgmyError && e.code === 'chunk-corrupt' && e.message.includes(itemsChunk) && /truncated or changed/.test(e.message));
    assert.equal(await rowsIn(t, 'other'), 0);
  });

  it('a missing chunk: refused before anything is loaded', async () => {
    const { dir, itemsChunk } = await copyOfDump('missing');
    await rm(itemsChunk);
    const t = await target();
    const r = await cli('load', '--target', t.url, dir);
    assert.equal(r.code, 1);
    assert.match(r.err, /is missing; nothing was loaded/);
    assert.match(r.err, /what to do:/);
  });

  for (const [name, content, pattern] of [
    ['not JSON', '{"format": "pgmy-dump", "formatVer', /is not valid JSON/],
    ['of an unknown version', JSON.stringify({ format: 'pgmy-dump', formatVersion: 99 }), /format version 99; this pgmy reads versions 1 to 2[\s\S]*upgrade pgmy/],
    ['not a pgmy manifest', JSON.stringify({ hello: 1 }), /is not a pgmy dump manifest/],
    ['missing a field', 'DELETE dumpId', /manifest\.json is damaged[\s\S]*dumpId/],
  ] as const) {
    it(`a manifest ${name}: refused naming the file`, async () => {
      const { dir } = await copyOfDump(`manifest-${name.replace(/\W/g, '')}`);
      const path = join(dir, 'manifest.json');
      if (content === 'DELETE dumpId') {
        const m = JSON.parse(await readFile(path, 'utf8')) as { dumpId?: string };
        delete m.dumpId;
        await writeFile(path, sealed(m));
      } else {
        await writeFile(path, content);
      }
      const t = await target();
      const r = await cli('load', '--target', t.url, dir);
      assert.equal(r.code, 1);
      assert.ok(r.err.includes(path), r.err);
      assert.match(r.err, pattern);
    });
  }

  for (const [what, edit] of [
    ['a column type', (m: Manifest) => { (m.target.tables[0]!.columns[0] as { sqlType: string }).sqlType = 'INT, evil INT) ENGINE=MEMORY; DROP TABLE x; -- '; }],
    ['a default', (m: Manifest) => { (m.target.tables[0]!.columns[0] as { defaultSql?: string }).defaultSql = '(SELECT 1)'; }],
    ['a foreign-key action', (m: Manifest) => {
      (m.target.tables[0]!.foreignKeys as unknown[]).push({ name: 'fk', columns: ['id'], refTable: 'other', refColumns: ['id'], onDelete: 'CASCADE, DROP TABLE x', onUpdate: 'NO ACTION' });
    }],
    ['a CHECK', (m: Manifest) => { (m.target.tables[0] as unknown as { checks?: unknown[] }).checks = [{ name: 'c', expr: '`id` > 0) ENGINE=MEMORY (' }]; }],
  ] as const) {
    it(`a manifest whose ${what} was edited into SQL: refused by load and by verify DIR, nothing run`, async () => {
      const { dir } = await copyOfDump(`inject-${what.replace(/\W/g, '')}`);
      const path = join(dir, 'manifest.json');
      const m = JSON.parse(await readFile(path, 'utf8')) as Manifest;
      edit(m);
      // Resealed, as someone who knows the format would: the grammar is the defence that remains.
      await writeFile(path, sealed(m));
      const t = await target();
      const r = await cli('load', '--target', t.url, dir);
      assert.equal(r.code, 1, r.err);
      assert.match(r.err, /manifest\.json is damaged[\s\S]*(of the shapes pgmy writes|expected one of "NO ACTION"\|"RESTRICT"\|"CASCADE"\|"SET NULL")/);
      const tables = await t.query<{ n: number }>('SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE()');
      assert.equal(Number(tables[0]?.n), 0, 'not even the journal was created');
      const v = await cli('verify', dir);
      assert.notEqual(v.code, 0);
      assert.match(v.err + v.out, /damaged/);
    });
  }

  it('an edited manifest or .sql file is found by its checksum: load refuses it, verify DIR says so', async () => {
    const { dir } = await copyOfDump('edited');
    const path = join(dir, 'manifest.json');
    const m = JSON.parse(await readFile(path, 'utf8')) as Manifest & { checksum: string };
    assert.match(m.checksum, /^[0-9a-f]{64}$/);
    (m.data[0]!.chunks[0] as { rows: number }).rows += 1;
    await writeFile(path, JSON.stringify(m, null, 2));
    const t = await target();
    const r = await cli('load', '--target', t.url, dir);
    assert.equal(r.code, 1);
    assert.match(r.err, /manifest\.json was changed after pgmy wrote it/);
    assert.match((await cli('verify', dir)).err, /was changed after pgmy wrote it/);
    const { dir: other } = await copyOfDump('edited-sql');
    await writeFile(join(other, 'schema.sql'), (await readFile(join(other, 'schema.sql'), 'utf8')) + 'DROP DATABASE mysql;\n');
    const l = await cli('load', '--target', t.url, other);
    assert.equal(l.code, 1);
    assert.match(l.err, /schema\.sql is changed after the dump/);
    const v = await cli('verify', other);
    assert.equal(v.code, 3);
    assert.match(v.out, /damaged: schema\.sql: changed after the dump/);
    const tables = await t.query<{ n: number }>('SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE()');
    assert.equal(Number(tables[0]?.n), 0, 'nothing was created');
  });

  it('a resealed manifest whose COPY expression was edited: verify refuses before sending it to PostgreSQL', async () => {
    const { dir } = await copyOfDump('edited-expr');
    const path = join(dir, 'manifest.json');
    const m = JSON.parse(await readFile(path, 'utf8')) as Manifest;
    (m.target.tables[0]!.columns[1] as { selectExpr: string }).selectExpr = "(SELECT string_agg(usename, ',') FROM pg_user)";
    await writeFile(path, sealed(m));
    const t = await target();
    const r = await cli('verify', '--source', src.url, '--target', t.url, dir);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.err, /has a COPY expression pgmy does not write: \(SELECT string_agg/);
  });

  it('a missing manifest: refused with a hint', async () => {
    const { dir } = await copyOfDump('nomanifest');
    await rm(join(dir, 'manifest.json'));
    const r = await cli('load', '--target', `${MY_BASE}/unused`, dir);
    assert.equal(r.code, 1);
    assert.match(r.err, /manifest\.json cannot be read: ENOENT/);
  });

  /** Rewrites a chunk and its manifest entry consistently, as if PostgreSQL had sent those rows. */
  async function forgeChunk(name: string, edit: (text: string) => string) {
    const { dir, manifest, itemsChunk } = await copyOfDump(name);
    const text = edit(await readFile(itemsChunk, 'utf8'));
    await writeFile(itemsChunk, text);
    const entry = manifest.data.find((d) => d.name === 'items');
    const chunk = entry?.chunks[0];
    assert.ok(entry && chunk);
    chunk.bytes = Buffer.byteLength(text);
    chunk.rows = text.split('\n').length - 1;
    chunk.sha256 = createHash('sha256').update(text).digest('hex');
    entry.rows = chunk.rows;
    entry.bytes = chunk.bytes;
    await writeFile(join(dir, 'manifest.json'), sealed(manifest));
    return dir;
  }

  it('a duplicate key that LOAD DATA LOCAL would silently skip: an error naming table, chunk and row', async () => {
    const dir = await forgeChunk('duplicate', (text) => text + '3\tduplicate of 3\t1\n');
    const t = await target();
    await assert.rejects(load({ target: t.url, dir, jobs: 1 }), (e: unknown) => {
      assert.ok(e instanceof PgmyError);
      assert.equal(e.code, 'load-mismatch');
      assert.equal(e.table, 'items');
      assert.match(e.chunk ?? '', /^data\/public\.items\/000001\.tsv$/);
      assert.match(e.message, /took 500 of 501 rows/);
      // MariaDB names the duplicate key value but, unlike for bad values, not the row.
      assert.match(e.message, /Duplicate entry '3' for key 'PRIMARY'/);
      return true;
    });
    assert.equal(await rowsIn(t, 'items'), 0, 'the chunk was rolled back');
  });

  it('a value the column cannot hold: an error naming table, column and row, nothing kept', async () => {
    const dir = await forgeChunk('badvalue', (text) => text.replace(/^7\titem 7\t0$/m, '7\titem 7\t99999999999'));
    const t = await target();
    await assert.rejects(load({ target: t.url, dir, jobs: 1 }), (e: unknown) =>
      e instanceof PgmyError && e.code === 'load-mismatch' && e.column === 'qty' && e.row === 7 && e.table === 'items');
    assert.equal(await rowsIn(t, 'items'), 0);
  });

  it('an empty table the application made is refused too (its definition would be lost), naming it and the options', async () => {
    const t = await target();
    await t.query('CREATE TABLE other (id int PRIMARY KEY, app_only_column int)');
    const r = await cli('load', '--target', t.url, golden);
    assert.equal(r.code, 1);
    assert.match(r.err, /Table \S*other already exists in the target \(empty\) and pgmy did not create it/);
    assert.match(r.err, /--data-only.*--truncate/s);
    const [made] = await t.query<{ n: number }>("SELECT count(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'items'");
    assert.equal(Number(made?.n), 0, 'refused before any table was made (items comes before other)');
    const [cols] = await t.query<{ n: number }>("SELECT count(*) AS n FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'other' AND COLUMN_NAME = 'app_only_column'");
    assert.equal(Number(cols?.n), 1, 'the application\'s table is as it was');
    const dry = await cli('load', '--dry-run', '--target', t.url, golden);
    assert.equal(dry.code, 1, 'the dry run says the same');
    const p = await cli('plan', '--source', src.url, '--target', t.url);
    assert.equal(p.code, 4, 'plan does not call it ready');
    assert.match(p.out, /table \S*other already exists in the target and pgmy did not create it: load refuses it/);
    assert.equal((await cli('load', '--target', t.url, golden, '--truncate', '--quiet')).code, 0);
    assert.equal(await rowsIn(t, 'other'), 10);
  });

  it('a target table that already holds other rows is refused, and replaced with --truncate', async () => {
    const t = await target();
    await t.query('CREATE TABLE other (id int PRIMARY KEY)');
    await t.query('INSERT INTO other VALUES (42)');
    const r = await cli('load', '--target', t.url, golden);
    assert.equal(r.code, 1);
    assert.match(r.err, /already exists in the target \(with rows\) and pgmy did not create it/);
    assert.equal(await rowsIn(t, 'other'), 1);
    const again = await cli('load', '--target', t.url, golden, '--truncate', '--quiet');
    assert.equal(again.code, 0, again.err);
    assert.equal(await rowsIn(t, 'other'), 10);
  });

  it('loading the same dump again does nothing more; another dump into the same database is refused', async () => {
    const t = await target();
    assert.equal((await cli('load', '--target', t.url, golden, '--quiet')).code, 0);
    const second = await load({ target: t.url, dir: golden });
    assert.equal(second.chunksLoaded, 0);
    assert.equal(second.chunksSkipped, 2);
    assert.equal(await rowsIn(t, 'items'), 500);
    const otherDump = join(tmp, 'other-dump');
    await dump({ source: src.url, out: otherDump, jobs: 1 });
    const r = await cli('load', '--target', t.url, otherDump);
    assert.equal(r.code, 1);
    assert.match(r.err, /holds a load of another dump/);
    assert.match(r.err, /--restart/);
    const restarted = await cli('load', '--target', t.url, otherDump, '--restart', '--quiet');
    assert.equal(restarted.code, 0, restarted.err);
    assert.equal(await rowsIn(t, 'items'), 500);
  });

  it('an unknown or missing option is a usage error (exit 2) and runs nothing', async () => {
    const unknown = await cli('load', '--target', `${MY_BASE}/x`, golden, '--bogus-option', '1');
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /Unknown arguments?: bogus-option[\s\S]*pgmy load --help/);
    const missing = await cli('load', golden);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /Missing required argument: target/);
    const saved = process.env.PGDATABASE;
    delete process.env.PGDATABASE;
    try {
      const noSource = await cli('dump', '--out', join(tmp, 'never'));
      assert.equal(noSource.code, 2);
      assert.match(noSource.err, /No source: give --source/);
    } finally {
      if (saved !== undefined) process.env.PGDATABASE = saved;
    }
    assert.equal((await cli()).code, 2);
  });

  it('bad URLs, wrong passwords and unreachable servers: one clear paragraph, no password shown, exit non-zero', async () => {
    const bad = await cli('dump', '--source', 'mysql://x@h/db', '--out', join(tmp, 'x'));
    assert.equal(bad.code, 2);
    assert.match(bad.err, /should start with postgres:\/\//);

    const pgHostPort = PG_BASE.replace(/^postgres:\/\/[^@]*@/, '');
    const refused = await cli('dump', '--source', `postgres://postgres@127.0.0.1:1/${src.name}`, '--out', join(tmp, 'y'));
    assert.equal(refused.code, 1);
    assert.match(refused.err, /Cannot reach PostgreSQL at postgres@127\.0\.0\.1:1.*ECONNREFUSED/);
    assert.match(refused.err, /what to do: Is PostgreSQL running/);

    const noDb = await cli('dump', '--source', `postgres://postgres@${pgHostPort}/pgmy_no_such_db`, '--out', join(tmp, 'z'));
    assert.equal(noDb.code, 1);
    assert.match(noDb.err, /database "pgmy_no_such_db" does not exist/);

    const myHost = MY_BASE.replace(/^mysql:\/\/[^@]*@/, '');
    const wrong = await cli('load', '--target', `mysql://root:hunter2secret@${myHost}/x`, golden);
    assert.equal(wrong.code, 1);
    assert.match(wrong.err, /refused the login/);
    assert.doesNotMatch(wrong.err + wrong.out, /hunter2secret/);
  });
});
