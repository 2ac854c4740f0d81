import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapCatalog } from '../../src/mapping/map-catalog.js';
import { compareForm } from '../../src/mapping/compare-form.js';
import type { ScanResult } from '../../src/mapping/scan-model.js';
import { catalog, col, tbl, type } from '../helpers/catalog-fixture.js';

describe('compareForm: what verify without a dump folder must map the same as the load did', () => {
  const t = tbl('t', [col('id', type('int4'), { notNull: true }), col('n', type('numeric')), col('x', type('float8'))], { primaryKey: { name: 't_pkey', columns: ['id'], deferrable: false } });
  const scan = (failures: boolean): ScanResult => new Map([['public.t', new Map([
    ['n', { failures: [], stats: { rows: 3, maxIntDigits: 3, maxScale: 20 } }],
    ['x', { failures: failures ? [{ check: { id: 'nan', predicate: "%s = 'NaN'", problem: 'NaN' }, rows: 1 }] : [] }],
  ])]]);
  const formOf = (options: Parameters<typeof mapCatalog>[1]) => compareForm(mapCatalog(catalog(t), options).tables[0] as never);

  it('a numeric whose DECIMAL(p,s) came from the scan compares as the unscanned mapping of any value', () => {
    const scanned = mapCatalog(catalog(t), { scan: scan(false) }).tables[0];
    const unscanned = mapCatalog(catalog(t), { anyValues: true }).tables[0];
    assert.equal(scanned?.columns[1]?.sqlType, 'DECIMAL(23,20)');
    assert.equal(unscanned?.columns[1]?.sqlType, 'DECIMAL(65,30)');
    assert.equal(formOf({ scan: scan(false) }), formOf({ anyValues: true }));
    // Without anyValues an unscanned numeric is a blocker carried as text: another form.
    assert.notEqual(formOf({}), formOf({ anyValues: true }));
  });

  it('values a policy changed, a rename and another database each change the form', () => {
    const plain = formOf({ anyValues: true });
    assert.equal(formOf({ scan: scan(false), onUnrepresentable: 'text' }), plain, 'a policy that found nothing changes nothing');
    assert.notEqual(formOf({ scan: scan(true), onUnrepresentable: 'text' }), plain);
    assert.notEqual(formOf({ scan: scan(true), onUnrepresentable: 'null' }), plain);
    assert.notEqual(formOf({ anyValues: true, renames: new Map([['t', 'u']]) }), plain);
    assert.notEqual(formOf({ anyValues: true, schemaMap: new Map([['public', 'elsewhere']]) }), plain);
  });
});
