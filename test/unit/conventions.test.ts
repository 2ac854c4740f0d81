import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapCatalog } from '../../src/mapping/map-catalog.js';
import { scanNeeds } from '../../src/mapping/scan-model.js';
import { isDefaultSql } from '../../src/model/dump-format/ddl-grammar.js';
import { ruleById } from '../../src/mapping/type-rules.js';
import { catalog, col, tbl, type } from '../helpers/catalog-fixture.js';

const django = () => catalog(
  tbl('django_migrations', [col('id', type('int4'), { notNull: true }), col('app', type('varchar', 259))]),
  tbl('shop_product', [col('id', type('int4'), { notNull: true }), col('uid', type('uuid')), col('took', type('interval'))]),
);

describe('--conventions: the column types a framework\'s MySQL backend expects', () => {
  it('django: uuid is CHAR(32) of hex digits, interval BIGINT microseconds (months refused by the scan); verify knows both', () => {
    const s = mapCatalog(django(), { conventions: 'django' });
    const cols = s.tables[1]?.columns ?? [];
    assert.deepEqual(cols.slice(1).map((c) => [c.sqlType, c.selectExpr, c.rule.kind]), [
      ['CHAR(32) CHARACTER SET ascii COLLATE ascii_bin', `replace("uid"::text, '-', '')`, 'django-uuid'],
      ['BIGINT', '(extract(epoch from "took") * 1000000)::bigint', 'django-duration'],
    ]);
    assert.equal(ruleById('django-uuid')?.verify?.pg, "replace({pg}::text, '-', '')");
    assert.deepEqual(scanNeeds(type('interval'), 150000, 'django').checks.map((c) => c.id), ['interval-months']);
    assert.deepEqual(scanNeeds(type('interval'), 150000).checks, []);
    assert.ok(!s.notices.some((n) => /this is a Django database/.test(n.message)), 'no advice when the convention is chosen');
    const withDefault = mapCatalog(catalog(tbl('t', [col('u', type('uuid'), { defaultExpr: 'gen_random_uuid()' })])), { conventions: 'django' });
    assert.equal(withDefault.tables[0]?.columns[0]?.defaultSql, "(REPLACE(UUID(), '-', ''))");
    assert.ok(isDefaultSql("(REPLACE(UUID(), '-', ''))"));
  });

  it('without --conventions, plan says what it sees and what to do: a warning when Django would not read the types', () => {
    const s = mapCatalog(django());
    const n = s.notices.find((x) => /this is a Django database/.test(x.message));
    assert.equal(n?.level, 'warning');
    assert.match(n?.message ?? '', /--data-only.*--conventions django/);
    assert.equal(s.tables[1]?.columns[1]?.sqlType, 'CHAR(36) CHARACTER SET ascii COLLATE ascii_bin');
    const rails = mapCatalog(catalog(tbl('schema_migrations', [col('version', type('varchar'))]), tbl('ar_internal_metadata', [col('key', type('varchar'))])));
    assert.ok(rails.notices.some((x) => x.level === 'info' && /Rails database.*--conventions rails/.test(x.message)));
    const wrong = mapCatalog(django(), { conventions: 'rails' });
    assert.ok(wrong.notices.some((x) => x.level === 'warning' && /looks like a Django database/.test(x.message)));
  });

  it('rails: an unbounded varchar the scan measured is VARCHAR(255), or longer to fit the data; not measured, it stays LONGTEXT', () => {
    const t = tbl('posts', [col('title', type('varchar')), col('slug', type('varchar')), col('body', type('text'))]);
    const stats = (n: number) => ({ failures: [], stats: { rows: 3, maxLength: n } });
    const scan = new Map([['public.posts', new Map([['title', stats(40)], ['slug', stats(300)]])]]);
    const s = mapCatalog(catalog(t), { conventions: 'rails', scan });
    assert.deepEqual(s.tables[0]?.columns.map((c) => c.sqlType), ['VARCHAR(255)', 'VARCHAR(300)', 'LONGTEXT']);
    assert.equal(mapCatalog(catalog(t), { conventions: 'rails' }).tables[0]?.columns[0]?.sqlType, 'LONGTEXT');
    assert.deepEqual(scanNeeds(type('varchar'), 150000, 'rails'), { checks: [], stats: false }, 'lengths are probed by the scan itself');
  });
});
