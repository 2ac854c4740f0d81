import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadDataSql } from '../../src/target/mysql/load-data.js';
import { addForeignKeysSql, createTableSql, textCollation } from '../../src/target/mysql/ddl.js';
import { mapCatalog } from '../../src/mapping/map-catalog.js';
import { shorten, NameScope } from '../../src/mapping/names.js';
import { catalog, col, tbl, type, varchar } from '../helpers/catalog-fixture.js';

const seq = { schema: 'public', name: 's', increment: '1', nextValue: '10' };
const schema = mapCatalog(catalog(
  tbl('we`ird "name"', [
    col('id', type('int4'), { notNull: true, sequence: seq, defaultExpr: "nextval('s'::regclass)" }),
    col('pic', type('bytea')),
    col('label', varchar(10), { notNull: true, defaultExpr: "'x'::character varying", comment: "it's" }),
  ], { primaryKey: { name: 'pk', columns: ['id'], deferrable: false }, comment: 'T' }),
));
const t = schema.tables[0];

describe('DDL', () => {
  it('quotes identifiers and uses the binary no-pad collation of each server', () => {
    assert.ok(t);
    const mariadb = createTableSql(t, 'mariadb');
    assert.equal(mariadb, 'CREATE TABLE `we``ird "name"` (\n' +
      '  `id` INT NOT NULL AUTO_INCREMENT,\n' +
      '  `pic` LONGBLOB NULL,\n' +
      "  `label` VARCHAR(10) NOT NULL DEFAULT 'x' COMMENT 'it''s',\n" +
      '  PRIMARY KEY (`id`)\n' +
      ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin COMMENT='T'");
    assert.match(createTableSql(t, 'mysql'), /COLLATE=utf8mb4_0900_bin/);
    assert.equal(textCollation('mariadb'), 'utf8mb4_nopad_bin');
  });

  it('LOAD DATA routes bytea through UNHEX and the AUTO_INCREMENT column through a variable', () => {
    assert.ok(t);
    assert.equal(loadDataSql(t, "/d/it's.tsv"),
      "LOAD DATA LOCAL INFILE '/d/it''s.tsv' INTO TABLE `we``ird \"name\"` CHARACTER SET utf8mb4 " +
      "FIELDS TERMINATED BY '\\t' ENCLOSED BY '' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' STARTING BY '' " +
      '(@v0, @v1, `label`) SET `id` = @v0, `pic` = UNHEX(@v1)');
  });

  it('foreign keys keep their actions', () => {
    const s = mapCatalog(catalog(
      tbl('p', [col('id', type('int4'))]),
      tbl('c', [col('p', type('int4'))], { foreignKeys: [{ name: 'f', columns: ['p'], refSchema: 'public', refTable: 'p', refColumns: ['id'], onUpdate: 'CASCADE', onDelete: 'SET NULL', matchFull: false, deferrable: false, definition: '' }] }),
    ));
    const c = s.tables[1];
    assert.ok(c);
    assert.equal(addForeignKeysSql(c, c.foreignKeys), 'ALTER TABLE `c` ADD CONSTRAINT `f` FOREIGN KEY (`p`) REFERENCES `p` (`id`) ON DELETE SET NULL ON UPDATE CASCADE');
  });
});

describe('names', () => {
  it('keeps short names and cuts long ones to 64 characters, distinctly', () => {
    assert.equal(shorten('short'), 'short');
    const a = shorten('x'.repeat(70) + 'a');
    const b = shorten('x'.repeat(70) + 'b');
    assert.equal([...a].length, 64);
    assert.notEqual(a, b);
  });
  it('makes names unique within a scope, ignoring case as MySQL does', () => {
    const s = new NameScope();
    assert.deepEqual([s.take('fk'), s.take('FK'), s.take('fk')], ['fk', 'FK_2', 'fk_3']);
  });
});
