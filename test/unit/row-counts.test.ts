import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rowsIn, withRows } from '../../src/tsv/row-counts.js';
import { CopyToLoadData } from '../../src/tsv/copy-escape.js';
import { checkRowCount } from '../../src/dump/dump-table.js';

describe('row counts carried with COPY buffers', () => {
  it('counts newlines of a buffer without a recorded count, and reads a recorded one', () => {
    assert.equal(rowsIn(Buffer.from('1\ta\n2\tb\n3')), 2);
    // A recorded count is taken as it is (the parser knows it from the messages): nothing is rescanned.
    assert.equal(rowsIn(withRows(Buffer.from('1\ta\n2\tb\n3'), 7)), 7);
  });

  it('keeps the count of a buffer that CopyToLoadData rewrites, and of one it holds a backslash back from', () => {
    const c = new CopyToLoadData();
    const rewritten = c.rewrite(withRows(Buffer.from('1\ta\\fb\n2\tc\n'), 2));
    assert.equal(rewritten.toString('latin1'), '1\ta\fb\n2\tc\n');
    assert.equal(rowsIn(rewritten), 2);
    const held = c.rewrite(withRows(Buffer.from('3\td\n4\te\\'), 1));
    assert.equal(held.toString('latin1'), '3\td\n4\te');
    assert.equal(rowsIn(held), 1);
    const next = c.rewrite(withRows(Buffer.from('vx\n'), 1));
    assert.equal(next.toString('latin1'), '\vx\n');
    assert.equal(rowsIn(next), 1);
  });
});

describe('checkRowCount', () => {
  const chunks = [{ file: 'data/s.t/000001.tsv', rows: 3, bytes: 10, sha256: 'x' }, { file: 'data/s.t/000002.tsv', rows: 2, bytes: 10, sha256: 'y' }];

  it('passes when the server sent as many rows as the chunks hold, or when the COPY failed (its error is the one to show)', () => {
    checkRowCount(5, chunks, 's.t');
    checkRowCount(undefined, chunks, 's.t');
  });

  it("refuses chunks that hold other than the server's count, naming the table and both counts", () => {
    assert.throws(() => checkRowCount(6, chunks, 's.t'), (err: Error & { code?: string; table?: string }) => {
      assert.equal(err.code, 'server');
      assert.equal(err.table, 's.t');
      assert.match(err.message, /COPY of s\.t reported 6 rows, but the chunk files hold 5/);
      return true;
    });
  });
});
