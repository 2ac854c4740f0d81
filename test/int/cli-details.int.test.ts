import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cli } from '../helpers/servers.js';

describe('the details people notice (issue 17)', () => {
  it('a mistyped command gets a "did you mean", exit 2', async () => {
    const r = await cli('dumpp', '--source', 'postgres://x/y', '--out', '/tmp/x');
    assert.equal(r.code, 2);
    assert.match(r.err, /Did you mean dump\?/);
  });

  it('migrate --help shows migrate\'s examples, not dump\'s', async () => {
    const r = await cli('migrate', '--help');
    assert.equal(r.code, 0);
    assert.match(r.out, /pgmy migrate --source/);
    assert.doesNotMatch(r.out, /Dump the public schema of shop/);
  });
});
