import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCheckExpr, isDefaultSql, isHiddenExpr, isSqlType } from '../../src/model/dump-format/ddl-grammar.js';

describe('the manifest\'s DDL text is of the shapes pgmy writes, nothing more', () => {
  it('column types', () => {
    for (const ok of ['BIGINT', 'INT UNSIGNED', 'TINYINT(1)', 'DECIMAL(65,30)', 'DECIMAL(22,2)', 'FLOAT', 'DOUBLE', 'DATETIME(6)', 'TIME(3)', 'DATE',
      'CHAR(36) CHARACTER SET ascii COLLATE ascii_bin', 'VARCHAR(16383)', 'LONGTEXT', 'LONGTEXT CHARACTER SET ascii COLLATE ascii_bin', 'LONGBLOB', 'JSON',
      "ENUM('G','PG-13','it''s','a\\\\b')", 'VARBINARY(64)', 'BIT(3)', 'VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin']) {
      assert.ok(isSqlType(ok), ok);
    }
    for (const bad of ['INT, x INT', 'INT) ENGINE=MEMORY; DROP TABLE users; -- ', "ENUM('a') DEFAULT 'x'", "ENUM('a')); DROP TABLE t; --", 'TEXT COMMENT \'x\'',
      'VARCHAR(10) NOT NULL', 'INT AS (1)', 'GEOMETRY', '']) {
      assert.ok(!isSqlType(bad), bad);
    }
  });

  it('defaults', () => {
    for (const ok of ['NULL', '0', '-1.5', '(1e3)', "'abc'", "('it''s')", 'CURRENT_TIMESTAMP(6)', '(UTC_TIMESTAMP(0))', '(CURRENT_DATE)', '(UUID())']) {
      assert.ok(isDefaultSql(ok), ok);
    }
    for (const bad of ["'a', x INT", '(SELECT 1)', "'a' COMMENT 'b'", 'CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP', "'a'); DROP TABLE t; --"]) {
      assert.ok(!isDefaultSql(bad), bad);
    }
  });

  it('CHECK expressions', () => {
    for (const ok of ["`s` IN ('a', 'b')", '`q` NOT IN (1, 2)', '`a` > 0', '(`a` >= 1 AND `a` <= 10) OR `b` IS NULL', "`c` = 'x' OR `c` <> 'it''s'", 'NOT (`a` = -2.5e3)']) {
      assert.ok(isCheckExpr(ok), ok);
    }
    for (const bad of ['`a` > 0)) ; DROP TABLE t; -- (', '`a` > (SELECT 1)', 'sleep(10) = 0', '`a` > 0) ENGINE=MEMORY (', '(`a` > 0', '']) {
      assert.ok(!isCheckExpr(bad), bad);
    }
  });

  it('generated columns of partial unique indexes', () => {
    for (const ok of ['IF((`deleted_at` IS NULL), `email`, NULL)', 'LOWER(`email`)', 'UPPER(`e``x`)', 'IF((`deleted_at` IS NULL), LOWER(`email`), NULL)']) assert.ok(isHiddenExpr(ok), ok);
    for (const bad of ['IF(sleep(10) = 0, `a`, NULL)', 'IF(`a` > 0, (SELECT 1), NULL)', '`a`', 'IF(`a` > 0, `a`, NULL)) VIRTUAL, x INT AS (1', 'LOWER(`a`) + SLEEP(1)', 'CONCAT(`a`)', 'LOWER((SELECT 1))']) {
      assert.ok(!isHiddenExpr(bad), bad);
    }
  });
});
