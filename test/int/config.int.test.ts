import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, scratchMy, scratchPg, type ScratchMy, type ScratchPg } from '../helpers/servers.js';

let src: ScratchPg;
const targets: ScratchMy[] = [];
let dir: string;

before(async () => {
  src = await scratchPg('config');
  await src.query(`CREATE TABLE customers (id int PRIMARY KEY, name varchar(40) NOT NULL)`);
  await src.query(`CREATE TABLE orders (id serial PRIMARY KEY, note varchar(20), total numeric(12,2), customer_id int REFERENCES customers)`);
  await src.query(`CREATE TABLE audit (id int PRIMARY KEY, what text)`);
  await src.query(`INSERT INTO customers VALUES (1, 'Ada'), (2, 'Grace')`);
  await src.query(`INSERT INTO orders (note, total, customer_id) VALUES ('ok', 10.50, 1), ('twelve chars', 99999.99, 2), (NULL, NULL, NULL)`);
  await src.query(`INSERT INTO audit VALUES (1, 'x')`);
  dir = await mkdtemp(join(tmpdir(), 'pgmy-config-'));
});

after(async () => {
  await src.drop();
  for (const t of targets) await t.drop();
  await rm(dir, { recursive: true, force: true });
});

async function target(): Promise<ScratchMy> {
  const t = await scratchMy('config');
  targets.push(t);
  return t;
}

test('pgmy.json filters, renames and casts; --cast on the command line adds to it; verify proves the values', async () => {
  const config = join(dir, 'pgmy.json');
  await writeFile(config, JSON.stringify({ excludeTables: ['audit'], rename: { customers: 'clients' }, cast: { 'orders.note': 'VARCHAR(100)' } }));
  const my = await target();
  const out = join(dir, 'snap');
  const m = await cli('migrate', '--source', src.url, '--target', my.url, '--out', out, '--config', config, '--cast', 'orders.total=DECIMAL(14,2)', '--quiet');
  assert.equal(m.code, 0, m.err);
  const cols = await my.query<{ t: string; c: string; ct: string }>(
    `SELECT TABLE_NAME AS t, COLUMN_NAME AS c, COLUMN_TYPE AS ct FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> '_pgmy_journal' ORDER BY TABLE_NAME, ORDINAL_POSITION`);
  assert.deepEqual(cols.map((r) => `${r.t}.${r.c} ${r.ct}`), [
    'clients.id int(11)', 'clients.name varchar(40)',
    'orders.id int(11)', 'orders.note varchar(100)', 'orders.total decimal(14,2)', 'orders.customer_id int(11)',
  ]);
  const fks = await my.query<{ r: string }>(`SELECT REFERENCED_TABLE_NAME AS r FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()`);
  assert.deepEqual(fks.map((f) => f.r), ['clients']);
  const v = await cli('verify', '--source', src.url, '--target', my.url, out);
  assert.equal(v.code, 0, v.out + v.err);
  const p = await cli('plan', '--source', src.url, '--config', config);
  assert.match(p.out, /note\s+character varying\(20\)\s+VARCHAR\(100\)\s+cast \(pgmy: VARCHAR\(20\)/);
  assert.doesNotMatch(p.out, /audit/);
});

test('a cast the values do not fit stops the load at the row, naming table, column and chunk', async () => {
  const my = await target();
  const r = await cli('migrate', '--source', src.url, '--target', my.url, '--out', join(dir, 'narrow'), '--cast', 'orders.note=VARCHAR(5)', '--tables', 'orders,customers');
  assert.equal(r.code, 1, r.err);
  assert.match(r.err, /did not keep every value/);
  assert.match(r.err, /where: table orders, column note, chunk data\/public\.orders\/000001\.tsv, row 2/);
});

test('a config file that is not valid is refused before anything runs (exit 2), naming the key', async () => {
  const bad = join(dir, 'bad.json');
  await writeFile(bad, JSON.stringify({ cast: { 'orders.note': 'VARCHAR(5)' }, excludeTabels: ['audit'] }));
  const r = await cli('dump', '--source', src.url, '--out', join(dir, 'never'), '--config', bad);
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /The config file .*bad\.json is not valid: \(top level\): Unrecognized key: "excludeTabels"/);
  const c = await cli('plan', '--source', src.url, '--cast', 'orders.notes=TEXT');
  assert.equal(c.code, 4, c.out + c.err);
  assert.match(c.out + c.err, /cast names orders\.notes, which is not a column of a dumped table/);
});
