import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapCatalog } from '../../src/mapping/map-catalog.js';
import type { ScanResult } from '../../src/mapping/scan-model.js';

import { catalog, col, tbl, type } from '../helpers/catalog-fixture.js';

/** What real application schemas need from the mapping (issue 15): each case is one seen in a public schema. */
const int4 = type('int4');
const pk = (name: string, ...columns: string[]) => ({ primaryKey: { name, columns, deferrable: false } });
const fk = (name: string, columns: string[], refTable: string, refColumns: string[]) => ({
  name, columns, refSchema: 'public', refTable, refColumns, onUpdate: 'NO ACTION' as const, onDelete: 'RESTRICT' as const,
  matchFull: false, deferrable: false, definition: '',
});
const errors = (s: ReturnType<typeof mapCatalog>) => s.notices.filter((n) => n.level === 'error');
const column = (s: ReturnType<typeof mapCatalog>, table: string, name: string) => s.tables.find((t) => t.name === table)?.columns.find((c) => c.name === name);
const lengths = (table: string, values: Record<string, number | null>): ScanResult =>
  new Map([[`public.${table}`, new Map(Object.entries(values).map(([c, n]) => [c, { failures: [], stats: { rows: 1, maxLength: n } }]))]]);

describe('foreign keys between columns of different widths', () => {
  it('widens the narrower side to the wider type (MariaDB refuses smallint → int)', () => {
    const p = tbl('p', [col('id', int4, { notNull: true })], pk('p_pkey', 'id'));
    const c = tbl('c', [col('id', int4, { notNull: true }), col('p_id', type('int2'))], { ...pk('c_pkey', 'id'), foreignKeys: [fk('c_p', ['p_id'], 'p', ['id'])] });
    const big = tbl('big', [col('id', type('int8'), { notNull: true })], pk('big_pkey', 'id'));
    const c2 = tbl('c2', [col('id', int4, { notNull: true }), col('b_id', int4)], { ...pk('c2_pkey', 'id'), foreignKeys: [fk('c2_b', ['b_id'], 'big', ['id'])] });
    const s = mapCatalog(catalog(p, c, big, c2));
    assert.equal(column(s, 'c', 'p_id')?.sqlType, 'INT');
    assert.equal(column(s, 'p', 'id')?.sqlType, 'INT');
    assert.equal(column(s, 'c2', 'b_id')?.sqlType, 'BIGINT');
    assert.ok(s.notices.some((n) => n.column === 'p_id' && /SMALLINT becomes INT/.test(n.message)));
    assert.deepEqual(errors(s), []);
  });

  it('a chain of keys takes the widest type of all', () => {
    const a = tbl('a', [col('id', type('int8'), { notNull: true })], pk('a_pkey', 'id'));
    const b = tbl('b', [col('id', int4, { notNull: true })], { ...pk('b_pkey', 'id'), foreignKeys: [fk('b_a', ['id'], 'a', ['id'])] });
    const c = tbl('c', [col('id', int4, { notNull: true }), col('b_id', type('int2'))], { ...pk('c_pkey', 'id'), foreignKeys: [fk('c_b', ['b_id'], 'b', ['id'])] });
    const s = mapCatalog(catalog(a, b, c));
    assert.equal(column(s, 'b', 'id')?.sqlType, 'BIGINT');
    assert.equal(column(s, 'c', 'b_id')?.sqlType, 'BIGINT');
  });
});

describe('keys on unbounded text and bytea', () => {
  const migrations = tbl('schema_migrations', [col('version', type('varchar'), { notNull: true })], pk('schema_migrations_pkey', 'version'));
  it('become VARCHAR(255) when the longest value fits, listed as a change', () => {
    const s = mapCatalog(catalog(migrations), { scan: lengths('schema_migrations', { version: 14 }) });
    assert.equal(column(s, 'schema_migrations', 'version')?.sqlType, 'VARCHAR(255)');
    assert.deepEqual(errors(s), []);
    assert.ok(s.notices.some((n) => n.level === 'warning' && /becomes VARCHAR\(255\).*refuse longer values/.test(n.message)));
  });
  it('grow to the longest value', () => {
    const s = mapCatalog(catalog(migrations), { scan: lengths('schema_migrations', { version: 700 }) });
    assert.equal(column(s, 'schema_migrations', 'version')?.sqlType, 'VARCHAR(700)');
  });
  it('a value longer than any key holds is a blocker', () => {
    const s = mapCatalog(catalog(migrations), { scan: lengths('schema_migrations', { version: 900 }) });
    assert.match(errors(s)[0]?.message ?? '', /at most 767 characters/);
  });
  it('share the 3072-byte key across a composite key', () => {
    const t = tbl('tags', ['a', 'b', 'c', 'd'].map((n) => col(n, type('text'), { notNull: true })), pk('tags_pkey', 'a', 'b', 'c', 'd'));
    const s = mapCatalog(catalog(t), { scan: lengths('tags', { a: 10, b: 10, c: 10, d: 10 }) });
    const types = s.tables[0]?.columns.map((c) => c.sqlType);
    assert.deepEqual(types, ['VARCHAR(191)', 'VARCHAR(191)', 'VARCHAR(191)', 'VARCHAR(191)']);
    assert.deepEqual(errors(s), []);
    assert.equal(s.tables[0]?.indexes.length, 0);
  });
  it('bytea keys become VARBINARY', () => {
    const t = tbl('blobs', [col('h', type('bytea'), { notNull: true })], pk('blobs_pkey', 'h'));
    const s = mapCatalog(catalog(t), { scan: lengths('blobs', { h: 32 }) });
    assert.equal(column(s, 'blobs', 'h')?.sqlType, 'VARBINARY(255)');
  });
  it('--text-keys=refuse blocks, printing the exact --cast', () => {
    const s = mapCatalog(catalog(migrations), { scan: lengths('schema_migrations', { version: 14 }), textKeys: 'refuse' });
    assert.match(errors(s)[0]?.message ?? '', /--cast public\.schema_migrations\.version=VARCHAR\(255\)/);
  });
  it('a unique text column referenced by a text foreign key: both VARCHAR, so the key can be built', () => {
    const users = tbl('users', [col('id', int4, { notNull: true }), col('email', type('text'), { notNull: true })],
      { ...pk('users_pkey', 'id'), uniques: [{ name: 'users_email', columns: ['email'], deferrable: false }] });
    const logins = tbl('logins', [col('id', int4, { notNull: true }), col('email', type('varchar'))],
      { ...pk('logins_pkey', 'id'), foreignKeys: [fk('logins_email', ['email'], 'users', ['email'])] });
    const scan: ScanResult = new Map([...lengths('users', { email: 40 }), ...lengths('logins', { email: 30 })]);
    const s = mapCatalog(catalog(users, logins), { scan });
    assert.equal(column(s, 'users', 'email')?.sqlType, 'VARCHAR(255)');
    assert.equal(column(s, 'logins', 'email')?.sqlType, 'VARCHAR(255)');
    assert.deepEqual(errors(s), []);
  });
});

describe('what CREATE TABLE would refuse is a blocker or is not carried, by name', () => {
  it('a table with no columns', () => {
    const s = mapCatalog(catalog(tbl('t0', [])));
    assert.match(errors(s)[0]?.message ?? '', /no columns/);
  });
  it('a table with more columns than InnoDB allows', () => {
    const s = mapCatalog(catalog(tbl('wide', Array.from({ length: 1100 }, (_, i) => col(`c${i}`, int4)))));
    assert.match(errors(s)[0]?.message ?? '', /1100 columns; InnoDB allows at most 1017/);
  });
  it('a CHECK naming the AUTO_INCREMENT column is not carried, with a word', () => {
    const t = tbl('ck', [col('id', int4, { notNull: true, defaultExpr: "nextval('ck_id_seq'::regclass)", sequence: { schema: 'public', name: 'ck_id_seq', increment: '1', nextValue: '1' } })],
      { ...pk('ck_pkey', 'id'), checks: [{ name: 'ck_id_check', definition: 'CHECK ((id > 0))' }] });
    const s = mapCatalog(catalog(t));
    assert.equal(s.tables[0]?.checks, undefined);
    assert.ok(s.notices.some((n) => n.level === 'warning' && /names the AUTO_INCREMENT column id/.test(n.message)));
  });
  it('an index naming a column twice lists it once', () => {
    const t = tbl('d', [col('id', int4, { notNull: true }), col('a', int4)], {
      ...pk('d_pkey', 'id'),
      indexes: [{ name: 'd_a_a', unique: false, method: 'btree', keys: [{ column: 'a', descending: false }, { column: 'a', descending: false }], includeColumns: [], definition: '' }],
    });
    const s = mapCatalog(catalog(t));
    assert.deepEqual(s.tables[0]?.indexes[0]?.parts.map((p) => p.column), ['a']);
  });
  it('a CHECK name used on two tables is renamed with a word', () => {
    const mk = (name: string) => tbl(name, [col('id', int4, { notNull: true })], { ...pk(`${name}_pkey`, 'id'), checks: [{ name: 'same_name', definition: 'CHECK ((id < 1000))' }] });
    const s = mapCatalog(catalog(mk('r1'), mk('r2')));
    assert.equal(s.tables[1]?.checks?.[0]?.name, 'same_name_2');
    assert.ok(s.notices.some((n) => n.table === 'public.r2' && /named same_name_2/.test(n.message)));
  });
});

describe('meaning kept', () => {
  const seq = { schema: 'public', name: 's1', increment: '1', nextValue: '3' };
  it('a nullable column with a nextval() default is not AUTO_INCREMENT (a stored NULL would become a number)', () => {
    const t = tbl('nv', [col('id', int4, { notNull: true }), col('i2', int4, { defaultExpr: "nextval('s1'::regclass)", sequence: seq })], pk('nv_pkey', 'id'));
    const s = mapCatalog(catalog(t));
    assert.equal(column(s, 'nv', 'i2')?.autoIncrement, false);
    assert.equal(column(s, 'nv', 'i2')?.nullable, true);
    assert.equal(s.tables[0]?.autoIncrement, undefined);
    assert.ok(s.notices.some((n) => n.column === 'i2' && /may hold NULL/.test(n.message)));
  });
  it('the same column NOT NULL is AUTO_INCREMENT', () => {
    const t = tbl('nv', [col('id', int4, { notNull: true }), col('i2', int4, { notNull: true, defaultExpr: "nextval('s1'::regclass)", sequence: seq })], pk('nv_pkey', 'id'));
    assert.equal(column(mapCatalog(catalog(t)), 'nv', 'i2')?.autoIncrement, true);
  });
  it("a domain's NOT NULL is kept", () => {
    const flag = { ...type('bool'), domain: { schema: 'public', name: 'flag', checks: [], notNull: true } };
    const s = mapCatalog(catalog(tbl('dm', [col('id', int4, { notNull: true }), col('f', flag)], pk('dm_pkey', 'id'))));
    assert.equal(column(s, 'dm', 'f')?.nullable, false);
  });
  it('a CHECK that compares in double precision is not carried as a DECIMAL comparison', () => {
    const t = tbl('chk', [col('id', int4, { notNull: true }), col('a', type('numeric'))],
      { ...pk('chk_pkey', 'id'), checks: [{ name: 'chk_a', definition: 'CHECK (((a)::double precision > (10.2)::double precision))' }] });
    const s = mapCatalog(catalog(t));
    assert.equal(s.tables[0]?.checks, undefined);
    assert.ok(s.notices.some((n) => n.object === 'chk_a' && n.level === 'warning'));
  });
  it('char(n) compares with trailing spaces ignored (PAD SPACE), unless the user chose a collation', () => {
    const t = tbl('ch', [col('c', type('bpchar', 8))]);
    assert.equal(column(mapCatalog(catalog(t)), 'ch', 'c')?.sqlType, 'CHAR(4) COLLATE utf8mb4_bin');
    assert.equal(column(mapCatalog(catalog(t), { textCollation: 'utf8mb4_unicode_ci' }), 'ch', 'c')?.sqlType, 'CHAR(4)');
  });
  it('inheritance is said, on the parent and on the child', () => {
    const par = tbl('par', [col('id', int4)], { children: ['public.kid'] });
    const kid = tbl('kid', [col('id', int4), col('x', int4)], { inherits: ['public.par'] });
    const s = mapCatalog(catalog(par, kid));
    assert.ok(s.notices.some((n) => n.table === 'public.par' && n.level === 'warning' && /also returns their rows/.test(n.message)));
    assert.ok(s.notices.some((n) => n.table === 'public.kid' && n.level === 'warning' && /inherits from public\.par/.test(n.message)));
  });
});

