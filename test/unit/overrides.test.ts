import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { applyConfig, readConfig } from '../../src/cli/config.js';
import { pairs } from '../../src/cli/args.js';
import { PgmyError } from '../../src/errors.js';
import { mapCatalog } from '../../src/mapping/map-catalog.js';
import { parseCastType } from '../../src/mapping/overrides.js';
import { describeRule } from '../../src/model/target.js';
import { catalog, col, numeric, tbl, type, varchar } from '../helpers/catalog-fixture.js';

describe('--cast types', () => {
  it('accepts MySQL column types with lengths, precision, UNSIGNED, character set and collation', () => {
    const ok: Array<[string, string]> = [
      ['varchar(100)', 'VARCHAR(100)'], ['DECIMAL(14, 2)', 'DECIMAL(14,2)'], ['int unsigned', 'INT UNSIGNED'],
      ['bigint', 'BIGINT'], ['mediumtext', 'MEDIUMTEXT'], ['datetime(3)', 'DATETIME(3)'], ['json', 'JSON'],
      ['VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', 'VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci'],
    ];
    for (const [text, sql] of ok) {
      const r = parseCastType(text);
      assert.equal(typeof r === 'string' ? r : r.sqlType, sql, text);
    }
  });

  it('refuses anything that is not just a type (the text goes into DDL)', () => {
    for (const bad of ['INT; DROP TABLE x', 'VARCHAR', 'TEXT(5)', 'VARCHAR(10,2)', 'DATE UNSIGNED', 'INT COLLATE utf8mb4_bin',
      "ENUM('a')", 'GEOMETRY', 'INT DEFAULT 1', '']) {
      assert.equal(typeof parseCastType(bad), 'string', bad);
    }
  });

  it('knows what the type can index and how wide it is', () => {
    const v = parseCastType('VARCHAR(100)');
    assert.ok(typeof v !== 'string' && v.textual === true && v.indexable === 'yes' && v.maxBytes === 402);
    const t = parseCastType('TEXT');
    assert.ok(typeof t !== 'string' && t.indexable === 'prefix');
  });
});

describe('casts and renames in the mapping', () => {
  const customers = tbl('customers', [col('id', type('int4'), { notNull: true })], { primaryKey: { name: 'customers_pkey', columns: ['id'], deferrable: false } });
  const orders = tbl('orders', [col('id', type('int4'), { notNull: true }), col('note', varchar(20)), col('total', numeric(12, 2)), col('customer_id', type('int4'))], {
    primaryKey: { name: 'orders_pkey', columns: ['id'], deferrable: false },
    foreignKeys: [{ name: 'orders_customer_fk', columns: ['customer_id'], refSchema: 'public', refTable: 'customers', refColumns: ['id'], onDelete: 'NO ACTION', onUpdate: 'NO ACTION', deferrable: false, matchFull: false, definition: '' }],
  });

  it('a cast sets the MySQL type and keeps how the value is written; a rename reaches the foreign keys', () => {
    const s = mapCatalog(catalog(customers, orders), {
      casts: new Map([['orders.note', 'VARCHAR(100)'], ['public.orders.total', 'DECIMAL(14,2)']]),
      renames: new Map([['customers', 'clients']]),
    });
    const o = s.tables.find((t) => t.sourceName === 'orders');
    const note = o?.columns.find((c) => c.name === 'note');
    assert.equal(note?.sqlType, 'VARCHAR(100)');
    assert.equal(note?.selectExpr, '"note"');
    assert.deepEqual(note?.rule, { kind: 'varchar', transform: 'native', flags: [], castFrom: 'VARCHAR(20)' });
    assert.ok(note);
    assert.match(describeRule(note.rule), /^cast \(pgmy: VARCHAR\(20\) by varchar\)$/);
    assert.equal(o?.columns.find((c) => c.name === 'total')?.sqlType, 'DECIMAL(14,2)');
    assert.deepEqual(s.tables.map((t) => t.name), ['clients', 'orders']);
    assert.equal(o?.foreignKeys[0]?.refTable, 'clients');
    assert.ok(s.notices.some((n) => n.level === 'warning' && n.column === 'note' && /cast to VARCHAR\(100\) \(pgmy would choose VARCHAR\(20\)\)/.test(n.message)));
    assert.ok(!s.notices.some((n) => n.level === 'error'));
  });

  it('a cast or rename naming nothing, a bad type or a bad name is an error notice, so the dump is blocked', () => {
    const s = mapCatalog(catalog(customers, orders), {
      casts: new Map([['orders.nope', 'INT'], ['orders.note', 'INT; DROP TABLE x']]),
      renames: new Map([['ghosts', 'g'], ['orders', 'x'.repeat(65)]]),
    });
    const errors = s.notices.filter((n) => n.level === 'error').map((n) => n.message);
    assert.ok(errors.some((m) => /cast names orders\.nope, which is not a column of a dumped table/.test(m)), errors.join('\n'));
    assert.ok(errors.some((m) => /cast of note: "INT; DROP TABLE x" is not a MySQL column type/.test(m)));
    assert.ok(errors.some((m) => /rename names ghosts, which is not a table of a dumped table/.test(m)));
    assert.ok(errors.some((m) => /rename of public\.orders to "x+": a MySQL table name has 1 to 64 characters/.test(m)));
  });

  it('two tables renamed onto one name collide', () => {
    const s = mapCatalog(catalog(customers, orders), { renames: new Map([['orders', 'customers']]) });
    assert.ok(s.notices.some((n) => n.level === 'error' && /same name/.test(n.message)));
  });
});

describe('pgmy.json', () => {
  const dirs: string[] = [];
  after(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });
  const file = async (content: string) => {
    const d = await mkdtemp(join(tmpdir(), 'pgmy-config-'));
    dirs.push(d);
    await writeFile(join(d, 'pgmy.json'), content);
    return join(d, 'pgmy.json');
  };

  it('is validated with clear messages naming the key', async () => {
    const cases: Array<[string, RegExp]> = [
      ['{"tabels": ["a"]}', /\(top level\): Unrecognized key: "tabels"/],
      ['{"jobs": "four"}', /jobs: Invalid input: expected number/],
      ['{"cast": {"orders": "INT"}}', /cast\.orders: a key is \[schema\.\]table\.column/],
      ['{"onUnrepresentable": "drop"}', /onUnrepresentable: Invalid option/],
      ['{"cast": ', /is not valid JSON/],
    ];
    for (const [content, message] of cases) {
      await assert.rejects(readConfig(await file(content)), (err: unknown) => err instanceof PgmyError && err.code === 'usage' && message.test(err.message), content);
    }
    await assert.rejects(readConfig('/nonexistent/pgmy.json'), /cannot be read: ENOENT/);
  });

  it('fills what the command line left out; --cast and --rename add to the file and win for the same key', async () => {
    const cfg = await readConfig(await file(JSON.stringify({
      schemas: ['shop'], excludeTables: ['audit'], jobs: 3, chunkSize: '8MiB',
      cast: { 'orders.note': 'VARCHAR(100)', 'orders.total': 'DECIMAL(14,2)' }, rename: { customers: 'clients' },
    })));
    const args = applyConfig({ jobs: 1, cast: ['orders.note=TEXT'], 'exclude-tables': [] }, cfg);
    assert.deepEqual(args.schema, ['shop']);
    assert.deepEqual(args['exclude-tables'], ['audit']);
    assert.equal(args.jobs, 1);
    assert.equal(args['chunk-size'], '8MiB');
    assert.deepEqual(pairs('cast', args.cast as string[], ''), new Map([['orders.note', 'TEXT'], ['orders.total', 'DECIMAL(14,2)']]));
    assert.deepEqual(pairs('rename', args.rename as string[], ''), new Map([['customers', 'clients']]));
  });
});
