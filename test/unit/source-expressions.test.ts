import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapCatalog } from '../../src/mapping/map-catalog.js';
import { checkSourceExpressions } from '../../src/verify/source-expressions.js';
import { catalog, col, numeric, tbl, type } from '../helpers/catalog-fixture.js';

const many = tbl('t', ['int4', 'text', 'bytea', 'date', 'timestamptz', 'float8', 'bool', 'uuid', 'interval', 'jsonb', 'inet', 'money', 'bpchar', 'xml']
  .map((n) => col(`c_${n}`, type(n))).concat([col('Odd "name"', type('int4')), col('n', numeric(10, 2)), col('arr', { ...type('_int4'), kind: 'array' })]));

describe('verify runs only the COPY expressions pgmy writes on the source', () => {
  it('every expression pgmy writes passes, with --on-unrepresentable=null CASEs and --conventions django too', () => {
    const failures = [{ check: { id: 'nan', predicate: "%s = 'NaN'", problem: 'NaN' }, rows: 1 }, { check: { id: 'infinity', predicate: "%s IN ('Infinity', '-Infinity')", problem: 'inf' }, rows: 1 }];
    const scan = new Map([['public.t', new Map([['c_float8', { failures }]])]]);
    for (const schema of [mapCatalog(catalog(many)), mapCatalog(catalog(many), { scan, onUnrepresentable: 'null' }), mapCatalog(catalog(many), { conventions: 'django' }), mapCatalog(catalog(many), { scan, onUnrepresentable: 'text' })]) {
      assert.doesNotThrow(() => checkSourceExpressions(schema.tables));
    }
    const nulled = mapCatalog(catalog(many), { scan, onUnrepresentable: 'null' }).tables[0]?.columns.find((c) => c.name === 'c_float8');
    assert.match(nulled?.selectExpr ?? '', /^CASE WHEN/);
  });

  it('an edited expression is refused, naming the column', () => {
    const [t] = mapCatalog(catalog(many)).tables;
    assert.ok(t);
    for (const evil of ['pg_sleep(10)', '"c_int4"; DROP TABLE t', '(SELECT pg_read_file(\'/etc/passwd\'))', '"c_text"::text || current_user']) {
      const edited = { ...t, columns: t.columns.map((c) => (c.name === 'c_text' ? { ...c, selectExpr: evil } : c)) };
      assert.throws(() => checkSourceExpressions([edited]), /column public\.t\.c_text has a COPY expression pgmy does not write/);
    }
    const badCase = { ...t, columns: t.columns.map((c) => (c.name === 'c_int4' ? { ...c, nullWhen: 'true', selectExpr: 'CASE WHEN true THEN NULL ELSE "c_int4" END' } : c)) };
    assert.throws(() => checkSourceExpressions([badCase]), /c_int4/);
  });
});
