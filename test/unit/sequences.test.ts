import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapCatalog } from '../../src/mapping/map-catalog.js';
import { toTargetSequence } from '../../src/mapping/sequences.js';
import { createSequenceSql, createTableSql, schemaScript } from '../../src/target/mysql/ddl.js';
import { catalog, col, tbl, type } from '../helpers/catalog-fixture.js';

const seq = (over: Record<string, unknown> = {}) => ({
  schema: 'public', name: 's1', increment: '1', nextValue: '7', min: '1', max: '9223372036854775807', cycle: false, cache: '1', ...over,
});

const reason = (r: string | object): string => (typeof r === 'string' ? r : 'carried');

describe('sequences become MariaDB SEQUENCEs standing where the dump found them', () => {
  it('START WITH the next value, same step and range (clamped to MariaDB\'s), CYCLE and CACHE', () => {
    assert.deepEqual(toTargetSequence(seq(), undefined),
      { name: 's1', source: 'public.s1', start: '7', increment: '1', min: '1', max: '9223372036854775806', cycle: false, cache: '1' });
    const down = toTargetSequence(seq({ increment: '-2', nextValue: '-5', min: '-9223372036854775808', max: '-1', cycle: true, cache: '20' }), 'other');
    assert.equal(typeof down === 'object' && createSequenceSql(down),
      'CREATE SEQUENCE IF NOT EXISTS `other`.`s1` START WITH -5 MINVALUE -9223372036854775807 MAXVALUE -1 INCREMENT BY -2 CACHE 20 CYCLE');
    assert.match(reason(toTargetSequence(seq({ nextValue: '11', max: '10' }), undefined)), /exhausted/);
    const cycled = toTargetSequence(seq({ nextValue: '11', max: '10', cycle: true }), undefined);
    assert.equal(typeof cycled === 'object' && cycled.start, '1', 'a cycling sequence past its end starts again at MINVALUE');
    assert.match(reason(toTargetSequence({ schema: 'public', name: 's', increment: '1', nextValue: '1' }, undefined)), /predates/);
  });

  it('a nullable nextval column keeps its NULLs and, on MariaDB only, gets DEFAULT NEXT VALUE FOR the sequence', () => {
    const t = tbl('nv', [col('id', type('int4'), { notNull: true }), col('i2', type('int4'), { defaultExpr: "nextval('s1'::regclass)", sequence: seq() })],
      { primaryKey: { name: 'p', columns: ['id'], deferrable: false } });
    const s = mapCatalog(catalog(t));
    const table = s.tables[0];
    assert.ok(table);
    assert.deepEqual(table.columns[1]?.sequenceDefault, { name: 's1' });
    assert.equal(table.columns[1]?.autoIncrement, false);
    assert.deepEqual(s.sequences?.map((q) => [q.name, q.start]), [['s1', '7']]);
    assert.match(createTableSql(table, 'mariadb'), /`i2` INT NULL DEFAULT NEXT VALUE FOR `s1`/);
    assert.doesNotMatch(createTableSql(table, 'mysql'), /NEXT VALUE/);
    assert.match(schemaScript(s, 'mariadb'), /CREATE SEQUENCE IF NOT EXISTS `s1` START WITH 7[\s\S]*CREATE TABLE `nv`/);
    assert.doesNotMatch(schemaScript(s, 'mysql'), /SEQUENCE/);
    assert.ok(s.notices.some((n) => n.column === 'i2' && n.level === 'warning' && /MySQL 8 has no sequences/.test(n.message)));
  });

  it('a standalone sequence is carried (and not listed as lost); one whose name a table takes is not, nor its defaults', () => {
    const c = catalog(tbl('invoice_no', [col('id', type('int4'))]), tbl('t', [col('id', type('int4'), { notNull: true }), col('n', type('int8'), { defaultExpr: "nextval('invoice_no'::regclass)", sequence: seq({ name: 'invoice_no' }) })]));
    const free = { ...c, sequences: [seq({ name: 'numbers', nextValue: '1010', increment: '10' })], otherObjects: [{ kind: 'sequence' as const, schema: 'public', name: 'numbers' }] };
    const s = mapCatalog(free);
    assert.deepEqual(s.sequences?.map((q) => [q.name, q.start, q.increment]), [['numbers', '1010', '10']]);
    assert.ok(!s.notices.some((n) => /not carried: no column default uses it/.test(n.message)));
    assert.ok(s.notices.some((n) => n.object === 'public.invoice_no' && /taken by a table/.test(n.message)));
    assert.equal(s.tables[1]?.columns[1]?.sequenceDefault, undefined);
  });
});
