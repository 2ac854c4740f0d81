import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { GroupSync } from '../../src/files/group-sync.js';
import { OpenFile } from '../../src/files/open-file.js';

function written(dir: string, name: string, text: string) {
  const tmp = join(dir, `${name}.partial`);
  const file = OpenFile.create(tmp);
  file.writeAll([Buffer.from(text)]);
  return { file, tmp, final: join(dir, name), dirs: [dir] };
}

describe('GroupSync', () => {
  it('gives each file its final name only once it is synced and closed, files added together in one group', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pgmy-sync-'));
    try {
      const sync = new GroupSync();
      const files = Array.from({ length: 300 }, (_, i) => written(dir, `f${i}`, `row ${i}\n`));
      // More than the queue holds: the later adds wait for a group to finish instead of holding more files open.
      const done = files.map((f) => sync.add(f));
      assert.ok(!existsSync(join(dir, 'f0')), 'nothing is renamed before its fsync');
      await Promise.all(done);
      for (let i = 0; i < 300; i++) {
        assert.equal(await readFile(join(dir, `f${i}`), 'utf8'), `row ${i}\n`);
        assert.ok(!existsSync(join(dir, `f${i}.partial`)));
      }
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('fails the file whose folder cannot be synced, and only that one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pgmy-sync-'));
    try {
      const sync = new GroupSync();
      const good = written(dir, 'good', 'a\n');
      const bad = { ...written(dir, 'bad', 'b\n'), dirs: [dir, join(dir, 'no-such-folder')] };
      const [g, b] = await Promise.allSettled([sync.add(good), sync.add(bad)]);
      assert.equal(g?.status, 'fulfilled');
      assert.equal(b?.status, 'rejected');
      assert.match(String(b.status === 'rejected' ? b.reason : ''), /ENOENT/);
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});
