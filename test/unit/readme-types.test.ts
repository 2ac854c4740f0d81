import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { it } from 'node:test';
import { typeMappingMarkdown } from '../../src/mapping/type-table.js';

it("the README's type-mapping table is the one the code uses", async () => {
  const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
  const m = /<!-- type-table:start -->\n([\s\S]*?)\n<!-- type-table:end -->/.exec(readme);
  assert.ok(m, 'README.md has the type-table markers');
  assert.equal(m[1], typeMappingMarkdown(), 'regenerate with: npm run readme-types');
});
