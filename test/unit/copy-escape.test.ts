import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CopyToLoadData } from '../../src/tsv/copy-escape.js';

function rewriteAll(parts: readonly Buffer[]): Buffer {
  const t = new CopyToLoadData();
  const out = parts.map((p) => t.rewrite(p));
  return Buffer.concat(out);
}

const b = (s: string) => Buffer.from(s, 'binary');

describe('CopyToLoadData', () => {
  const cases: Array<[string, string, string]> = [
    ['plain text passes unchanged', 'abc\tdef\n', 'abc\tdef\n'],
    ['\\f becomes a form feed byte', 'a\\fb\n', 'a\fb\n'],
    ['\\v becomes a vertical tab byte', 'a\\vb\n', 'a\vb\n'],
    ['an escaped backslash before f stays', 'a\\\\fb\n', 'a\\\\fb\n'],
    ['escapes LOAD DATA knows stay', '\\t\\n\\r\\b\\N\\\\\n', '\\t\\n\\r\\b\\N\\\\\n'],
    ['several in a row', '\\f\\v\\f\n', '\f\v\f\n'],
    ['backslash-backslash-v', '\\\\\\v\n', '\\\\\v\n'],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => assert.deepEqual(rewriteAll([b(input)]), b(expected)));
    it(`${name}, split at every position`, () => {
      for (let i = 0; i <= input.length; i++) {
        assert.deepEqual(rewriteAll([b(input.slice(0, i)), b(input.slice(i))]), b(expected), `split at ${i}`);
      }
    });
  }

  it('splits into single bytes', () => {
    const input = 'x\\f\\\\f\\v\\N\n';
    assert.deepEqual(rewriteAll([...input].map(b)), b('x\f\\\\f\v\\N\n'));
  });

  it('returns the same buffer when nothing needs rewriting', () => {
    const t = new CopyToLoadData();
    const buf = b('no escapes here\n');
    assert.equal(t.rewrite(buf), buf);
  });

  it('works as a stream', async () => {
    const t = new CopyToLoadData();
    const chunks: Buffer[] = [];
    t.on('data', (c: Buffer) => chunks.push(c));
    t.write(b('a\\'));
    t.write(b('fb\n'));
    t.end();
    await new Promise((r) => t.on('end', r));
    assert.deepEqual(Buffer.concat(chunks), b('a\fb\n'));
  });
});
