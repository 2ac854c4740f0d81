import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeTableFolders } from '../../src/dump/table-folders.js';

describe('makeTableFolders', () => {
  it('makes every folder once (data/ with the first), and says which were there before', async () => {
    const out = await mkdtemp(join(tmpdir(), 'pgmy-folders-'));
    try {
      const first = await makeTableFolders(out, ['data/public.a', 'data/public.b', 'data/public.a']);
      assert.deepEqual([...first], [['data/public.a', 'made'], ['data/public.b', 'made']]);
      assert.deepEqual((await readdir(join(out, 'data'))).sort(), ['public.a', 'public.b']);
      // A killed run's folder, with its files, is found as it was and left to the dump to empty.
      await writeFile(join(out, 'data/public.b/000001.tsv.partial'), 'x');
      const again = await makeTableFolders(out, ['data/public.b', 'data/public.c']);
      assert.deepEqual([...again], [['data/public.b', 'existed'], ['data/public.c', 'made']]);
      assert.ok(existsSync(join(out, 'data/public.b/000001.tsv.partial')));
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
