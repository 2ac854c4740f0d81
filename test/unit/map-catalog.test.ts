import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapCatalog } from '../../src/mapping/map-catalog.js';
import { catalog, col, numeric, tbl, type, varchar } from '../helpers/catalog-fixture.js';
import { isHiddenExpr } from '../../src/model/dump-format/ddl-grammar.js';

function mapOne(t: ReturnType<typeof tbl>) {
  const s = mapCatalog(catalog(t));
  const table = s.tables[0];
  assert.ok(table);
  return { table, notices: s.notices };
}

describe('type mapping', () => {
  const cases: Array<[string, ReturnType<typeof type>, string, string]> = [
    ['smallint', type('int2'), 'SMALLINT', '"c"'],
    ['integer', type('int4'), 'INT', '"c"'],
    ['bigint', type('int8'), 'BIGINT', '"c"'],
    ['numeric(10,2)', numeric(10, 2), 'DECIMAL(10,2)', '"c"'],
    ['numeric(65,30)', numeric(65, 30), 'DECIMAL(65,30)', '"c"'],
    ['real', type('float4'), 'FLOAT', '"c"::float8'],
    ['double', type('float8'), 'DOUBLE', '"c"'],
    ['boolean', type('bool'), 'TINYINT(1)', '"c"::int'],
    ['char(3)', type('bpchar', 7), 'CHAR(3) COLLATE utf8mb4_bin', `rtrim("c", ' ')`],
    ['char(300)', type('bpchar', 304), 'VARCHAR(300) COLLATE utf8mb4_bin', `rtrim("c", ' ')`],
    ['varchar(40)', varchar(40), 'VARCHAR(40)', '"c"'],
    ['varchar(20000)', varchar(20000), 'LONGTEXT', '"c"'],
    ['varchar', type('varchar'), 'LONGTEXT', '"c"'],
    ['text', type('text'), 'LONGTEXT', '"c"'],
    ['bytea', type('bytea'), 'LONGBLOB', `encode("c", 'hex')`],
    ['date', type('date'), 'DATE', '"c"'],
    ['timestamp', type('timestamp'), 'DATETIME(6)', '"c"'],
    ['timestamp(3)', type('timestamp', 3), 'DATETIME(3)', '"c"'],
    ['timestamptz', type('timestamptz'), 'DATETIME(6)', `"c" AT TIME ZONE 'UTC'`],
    ['time', type('time'), 'TIME(6)', '"c"'],
    ['uuid', type('uuid'), 'CHAR(36) CHARACTER SET ascii COLLATE ascii_bin', '"c"'],
    ['jsonb', type('jsonb'), 'JSON', '"c"'],
    ['json', type('json'), 'JSON', '"c"'],
    ['interval', type('interval'), 'VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin', '"c"::text'],
    ['timetz', type('timetz'), 'VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin', '"c"::text'],
    ['money', type('money'), 'DECIMAL(22,2)', '"c"::numeric'],
    ['bit(12)', type('bit', 12), 'VARCHAR(12) CHARACTER SET ascii COLLATE ascii_bin', '"c"::text'],
    ['inet', type('inet'), 'VARCHAR(43) CHARACTER SET ascii COLLATE ascii_bin', '"c"'],
    ['macaddr', type('macaddr'), 'VARCHAR(23) CHARACTER SET ascii COLLATE ascii_bin', '"c"::text'],
    ['xml', type('xml'), 'LONGTEXT', '"c"::text'],
    ['tsvector', type('tsvector'), 'LONGTEXT', '"c"::text'],
    ['point', type('point'), 'LONGTEXT', '"c"::text'],
    ['oid', type('oid'), 'INT UNSIGNED', '"c"'],
    ['regclass', type('regclass'), 'VARCHAR(255)', '"c"::text'],
    ['an array', { ...type('_int4'), kind: 'array', display: 'integer[]' }, 'JSON', 'to_json("c")'],
    ['a composite', { ...type('addr', -1, { schema: 'public' }), kind: 'composite' }, 'JSON', 'to_json("c")'],
    ['a range', { ...type('int4range'), kind: 'range' }, 'LONGTEXT', '"c"::text'],
    ['hstore', type('hstore', -1, { schema: 'ext' }), 'JSON', '"ext".hstore_to_json("c")'],
    ['an extension type', type('ltree', -1, { schema: 'public' }), 'LONGTEXT', '"c"::text'],
  ];
  for (const [name, t, sqlType, select] of cases) {
    it(`${name} → ${sqlType}`, () => {
      const { table, notices } = mapOne(tbl('t', [col('c', t)]));
      assert.equal(table.columns[0]?.sqlType, sqlType);
      assert.equal(table.columns[0]?.selectExpr, select);
      assert.deepEqual(notices.filter((n) => n.level === 'error'), []);
    });
  }

  it('bytea is loaded through UNHEX', () => {
    assert.equal(mapOne(tbl('t', [col('c', type('bytea'))])).table.columns[0]?.load, 'unhex');
  });

  it('enum keeps its labels in order', () => {
    const { table } = mapOne(tbl('t', [col('c', { display: 'mood', kind: 'enum', name: 'mood', schema: 'public', typmod: -1, enumLabels: ['sad', "it's", 'ok'] })]));
    assert.equal(table.columns[0]?.sqlType, "ENUM('sad','it''s','ok')");
  });

  it('an enum label with a trailing space becomes VARCHAR', () => {
    const { table } = mapOne(tbl('t', [col('c', { display: 'e', kind: 'enum', name: 'e', schema: 'public', typmod: -1, enumLabels: ['a ', 'bb'] })]));
    assert.equal(table.columns[0]?.sqlType, 'VARCHAR(2)');
  });

  for (const [name, t] of [
    ['numeric without precision, unscanned', type('numeric')],
    ['numeric(70,2)', numeric(70, 2)],
    ['a pseudo-type', { ...type('anyelement'), kind: 'pseudo' as const }],
  ] as const) {
    it(`refuses ${name}, naming table and column`, () => {
      const { notices } = mapOne(tbl('things', [col('c', t)]));
      const err = notices.find((n) => n.level === 'error');
      assert.ok(err, 'an error notice');
      assert.equal(err.table, 'public.things');
      assert.equal(err.column, 'c');
    });
  }

  it('a domain is carried as its base type, with its check when MySQL can say it', () => {
    const { table, notices } = mapOne(tbl('t', [col('y', type('int4', -1, { domain: { schema: 'public', name: 'year', checks: ['CHECK ((VALUE > 0))'] } }))]));
    assert.equal(table.columns[0]?.sqlType, 'INT');
    assert.deepEqual(table.checks, [{ name: 't_y_year_check', expr: '(`y` > 0)' }]);
    assert.ok(!notices.some((n) => n.level === 'warning'));
  });

  it('a domain check MySQL cannot say is listed as not carried', () => {
    const { table, notices } = mapOne(tbl('t', [col('c', varchar(8), { type: { ...varchar(8), domain: { schema: 'public', name: 'code', checks: ["CHECK (((VALUE)::text ~ '^[A-Z]+$'::text))"] } } })]));
    assert.equal(table.checks, undefined);
    assert.ok(notices.some((n) => n.level === 'warning' && /domain public\.code.*are not carried/.test(n.message)));
  });
});

describe('values found by the scan', () => {
  const scanOf = (column: string, scan: import('../../src/mapping/scan-model.js').ColumnScan) => new Map([['public.t', new Map([[column, scan]])]]);
  const nan = { id: 'nan', predicate: "%s = 'NaN'", problem: 'NaN' };
  const t1 = tbl('t', [col('id', type('int4')), col('x', type('float8'))]);

  it('numeric without precision gets the smallest DECIMAL holding every value', () => {
    const s = mapCatalog(catalog(tbl('t', [col('n', type('numeric'))])), { scan: scanOf('n', { failures: [], stats: { rows: 3, maxIntDigits: 12, maxScale: 4 } }) });
    assert.equal(s.tables[0]?.columns[0]?.sqlType, 'DECIMAL(16,4)');
  });
  it('numeric too wide for DECIMAL is refused, or carried as text by choice', () => {
    const scan = scanOf('n', { failures: [], stats: { rows: 3, maxIntDigits: 60, maxScale: 10 } });
    const refused = mapCatalog(catalog(tbl('t', [col('n', type('numeric'))])), { scan });
    assert.ok(refused.notices.some((n) => n.level === 'error' && n.column === 'n' && /70 digits with 10 after the point/.test(n.message)));
    const asText = mapCatalog(catalog(tbl('t', [col('n', type('numeric'))])), { scan, onUnrepresentable: 'text' });
    assert.equal(asText.tables[0]?.columns[0]?.sqlType, 'LONGTEXT');
    assert.ok(!asText.notices.some((n) => n.level === 'error'));
  });
  it('NaN in a double is refused by default, naming the column, count and first row', () => {
    const s = mapCatalog(catalog(t1), { scan: scanOf('x', { failures: [{ check: nan, rows: 2, example: 'id=7' }] }) });
    const err = s.notices.find((n) => n.level === 'error');
    assert.equal(err?.column, 'x');
    assert.match(err?.message ?? '', /2 row\(s\) with NaN \(first: id=7\)/);
  });
  it('--on-unrepresentable=null writes NULL for exactly those values', () => {
    const s = mapCatalog(catalog(t1), { scan: scanOf('x', { failures: [{ check: nan, rows: 2 }] }), onUnrepresentable: 'null' });
    const x = s.tables[0]?.columns[1];
    assert.equal(x?.selectExpr, `CASE WHEN ("x" = 'NaN') THEN NULL ELSE "x" END`);
    assert.equal(x?.nullable, true);
    assert.ok(s.notices.some((n) => n.level === 'warning' && /become NULL/.test(n.message)));
  });
  it('--on-unrepresentable=text carries the column as text', () => {
    const s = mapCatalog(catalog(t1), { scan: scanOf('x', { failures: [{ check: nan, rows: 2 }] }), onUnrepresentable: 'text' });
    assert.equal(s.tables[0]?.columns[1]?.sqlType, 'LONGTEXT');
    assert.equal(s.tables[0]?.columns[1]?.selectExpr, '"x"::text');
  });
  it('columns that differ only by case, and the journal table name, are refused', () => {
    const s = mapCatalog(catalog(tbl('t', [col('Name', type('int4')), col('name', type('int4'))]), tbl('_pgmy_journal', [col('a', type('int4'))])));
    assert.ok(s.notices.some((n) => n.level === 'error' && /differ only by case/.test(n.message)));
    assert.ok(s.notices.some((n) => n.level === 'error' && /journal/.test(n.message)));
  });
});

describe('keys and AUTO_INCREMENT', () => {
  const seq = { schema: 'public', name: 't_id_seq', increment: '1', nextValue: '5001' };

  it('a serial primary key becomes AUTO_INCREMENT continuing from the sequence', () => {
    const { table } = mapOne(tbl('t', [col('id', type('int8'), { notNull: true, defaultExpr: "nextval('t_id_seq'::regclass)", sequence: seq })],
      { primaryKey: { name: 't_pkey', columns: ['id'], deferrable: false } }));
    assert.equal(table.columns[0]?.autoIncrement, true);
    assert.deepEqual(table.autoIncrement, { column: 'id', next: '5001' });
    assert.equal(table.columns[0]?.defaultSql, undefined);
    assert.deepEqual(table.tableIndexes, []);
  });

  it('an AUTO_INCREMENT column that does not lead the primary key gets an index of its own', () => {
    const { table } = mapOne(tbl('t', [col('d', type('date'), { notNull: true }), col('id', type('int4'), { notNull: true, identity: 'by default', sequence: seq })],
      { primaryKey: { name: 'p', columns: ['d', 'id'], deferrable: false } }));
    assert.deepEqual(table.tableIndexes.map((i) => i.parts.map((p) => p.column)), [['id']]);
  });

  it('a unique key on TEXT is never weakened to a prefix: VARCHAR(n) by default, refused with --text-keys=refuse', () => {
    const t = tbl('t', [col('c', type('text'))], { uniques: [{ name: 'u', columns: ['c'], deferrable: false }] });
    const { table } = mapOne(t);
    assert.equal(table.columns[0]?.sqlType, 'VARCHAR(255)');
    assert.equal(table.indexes[0]?.parts[0]?.prefixChars, undefined);
    const refused = mapCatalog(catalog(t), { textKeys: 'refuse' });
    assert.ok(refused.notices.some((n) => n.level === 'error' && n.column === 'c' && /--cast public\.t\.c=VARCHAR\(255\)/.test(n.message)));
    assert.equal(refused.tables[0]?.indexes.length, 0);
  });

  it('a plain index on TEXT uses a prefix within 3072 bytes', () => {
    const { table } = mapOne(tbl('t', [col('a', type('int8')), col('c', type('text'))], {
      indexes: [{ name: 'i', unique: false, method: 'btree', keys: [{ column: 'a', descending: false }, { column: 'c', descending: true }], includeColumns: [], definition: '' }],
    }));
    const parts = table.indexes[0]?.parts;
    assert.deepEqual(parts, [{ column: 'a', descending: false }, { column: 'c', descending: true, prefixChars: 766 }]);
  });

  it('a partial unique index whose condition MySQL can say is enforced on invisible generated columns', () => {
    const { table } = mapOne(tbl('t', [col('a', type('int4')), col('gone', type('timestamp'))], {
      indexes: [{ name: 'live_a', unique: true, method: 'btree', keys: [{ column: 'a', descending: false }], includeColumns: [], definition: 'd', predicate: '(gone IS NULL)' }],
    }));
    assert.deepEqual(table.hiddenColumns, [{ name: 'pgmy_live_a', sqlType: 'INT', textual: false, expr: 'IF((`gone` IS NULL), `a`, NULL)' }]);
    assert.deepEqual(table.indexes.map((i) => [i.name, i.unique, i.parts.map((p) => p.column)]), [['live_a', true, ['pgmy_live_a']]]);
  });

  it('keys on lower(col) / upper(col) are enforced on invisible generated columns, partial ones too, the column fitted as a key', () => {
    const ix = (name: string, keys: Array<{ column?: string; expression?: string }>, extra = {}) =>
      ({ name, unique: true, method: 'btree', keys: keys.map((k) => ({ ...k, descending: false })), includeColumns: [], definition: 'd', ...extra });
    const t = tbl('users', [col('id', type('int4')), col('email', type('varchar')), col('tenant', type('int4')), col('deleted_at', type('timestamp'))], {
      indexes: [
        ix('by_lower', [{ expression: 'lower((email)::text)' }]),
        ix('by_tenant', [{ column: 'tenant' }, { expression: 'upper(email::text)' }]),
        ix('live', [{ expression: 'lower(email)' }], { predicate: '(deleted_at IS NULL)' }),
        ix('sum', [{ expression: '(id + 1)' }]),
      ],
    });
    const { table, notices } = mapOne(t);
    assert.equal(table.columns.find((c) => c.name === 'email')?.sqlType, 'VARCHAR(255)');
    assert.deepEqual(table.hiddenColumns?.map((h) => [h.name, h.sqlType, h.expr]), [
      ['pgmy_by_lower', 'VARCHAR(255)', 'LOWER(`email`)'],
      ['pgmy_by_tenant_1', 'VARCHAR(255)', 'UPPER(`email`)'],
      ['pgmy_live', 'VARCHAR(255)', 'IF((`deleted_at` IS NULL), LOWER(`email`), NULL)'],
    ]);
    assert.deepEqual(table.indexes.map((i) => [i.name, i.unique, i.parts.map((p) => p.column)]), [
      ['by_lower', true, ['pgmy_by_lower']], ['by_tenant', true, ['tenant', 'pgmy_by_tenant_1']], ['live', true, ['pgmy_live']],
    ]);
    for (const h of table.hiddenColumns ?? []) assert.ok(isHiddenExpr(h.expr), h.expr);
    assert.deepEqual(notices.filter((n) => n.level === 'warning' && n.object !== undefined).map((n) => n.object), ['sum']);
    // Under lc_ctype C PostgreSQL lowers ASCII only: MySQL could refuse rows PostgreSQL holds.
    const c = catalog(t);
    const inC = mapCatalog({ ...c, server: { ...c.server, ctype: 'C' } });
    assert.deepEqual(inC.tables[0]?.indexes.map((i) => i.name), []);
    assert.ok(inC.notices.some((n) => n.object === 'by_lower' && n.level === 'warning' && /lc_ctype C/.test(n.message)));
  });

  it('expression, partial unique (with a condition MySQL cannot say) and GIN indexes are not carried, with a warning each', () => {
    const base = { unique: false, method: 'btree', keys: [{ column: 'a', descending: false }], includeColumns: [], definition: 'd' };
    const { table, notices } = mapOne(tbl('t', [col('a', type('int4'))], {
      indexes: [
        { ...base, name: 'expr', keys: [{ descending: false }], expressions: 'lower(a)' },
        { ...base, name: 'partial', unique: true, predicate: '(length((a)::text) > 0)' },
        { ...base, name: 'gin', method: 'gin' },
      ],
    }));
    assert.deepEqual(table.indexes, []);
    assert.deepEqual(notices.filter((n) => n.level === 'warning').map((n) => n.object), ['expr', 'partial', 'gin']);
  });

  it('foreign key names are made unique per database and foreign keys to tables not dumped are dropped', () => {
    const fk = (ref: string) => ({ name: 'fk', columns: ['a'], refSchema: 'public', refTable: ref, refColumns: ['id'], onUpdate: 'NO ACTION' as const, onDelete: 'CASCADE' as const, matchFull: false, deferrable: false, definition: '' });
    const s = mapCatalog(catalog(
      tbl('p', [col('id', type('int4'))]),
      tbl('a', [col('a', type('int4'))], { foreignKeys: [fk('p')] }),
      tbl('b', [col('a', type('int4'))], { foreignKeys: [fk('p'), fk('gone')] }),
    ));
    assert.deepEqual(s.tables.map((t) => t.foreignKeys.map((f) => f.name)), [[], ['fk'], ['fk_2']]);
    assert.ok(s.notices.some((n) => n.object === 'fk' && /not in this dump/.test(n.message)));
  });

  it('wide VARCHARs move to LONGTEXT so the row fits 65,535 bytes', () => {
    const { table } = mapOne(tbl('t', [col('a', varchar(10000)), col('b', varchar(10000)), col('c', varchar(100))]));
    assert.deepEqual(table.columns.map((c) => c.sqlType), ['LONGTEXT', 'VARCHAR(10000)', 'VARCHAR(100)']);
  });
});
