import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dump } from '../../src/dump/dump.js';
import { PgmyError } from '../../src/errors.js';
import { scratchPg, type ScratchPg } from '../helpers/servers.js';

const FIXTURE = new URL('../../../test/fixtures/django-shop.sql', import.meta.url).pathname;

function sh(cmd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => execFile(cmd, args, (err, _o, stderr) => resolve(err ? stderr || err.message : undefined)));
}

describe('the disk fills up while dumping', () => {
  let src: ScratchPg;
  let tmp: string;
  let mnt: string;
  let mounted: string | undefined = 'not tried';

  before(async () => {
    src = await scratchPg('diskfull', [FIXTURE]);
    tmp = await mkdtemp(join(tmpdir(), 'pgmy-full-'));
    mnt = join(tmp, 'small');
    await mkdir(mnt);
    // A real file system that is really full: a 1 MiB tmpfs (the dump is about 4 MB).
    mounted = await sh('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt]);
  });
  after(async () => {
    if (mounted === undefined) await sh('umount', [mnt]);
    await src?.drop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('a clear error, no chunk recorded as complete that is not, and a re-run with room completes', async (t) => {
    if (mounted !== undefined) return t.skip(`cannot mount a small tmpfs here: ${mounted.trim()}`);
    const out = join(mnt, 'snap');
    const err = await dump({ source: src.url, out, chunkSize: 64 * 1024, jobs: 2 }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof PgmyError, `an error, not ${String(err)}`);
    assert.equal(err.code, 'io');
    assert.match(err.message, /is full/);
    assert.match(err.hint ?? '', /Free some space/);
    const manifest = await readFile(join(out, 'manifest.json'), 'utf8').then((x) => JSON.parse(x) as {
      complete: boolean; data: Array<{ complete: boolean; chunks: Array<{ file: string; bytes: number; sha256: string }> }>;
    }, () => undefined);
    if (manifest) {
      assert.equal(manifest.complete, false);
      for (const d of manifest.data.filter((x) => x.complete)) {
        for (const c of d.chunks) {
          const bytes = await readFile(join(out, c.file));
          assert.equal(bytes.length, c.bytes, `${c.file} is whole`);
          assert.equal(createHash('sha256').update(bytes).digest('hex'), c.sha256, `${c.file} is intact`);
        }
      }
    }
    assert.equal(await sh('mount', ['-o', 'remount,size=64m', mnt]), undefined);
    const again = await dump({ source: src.url, out, chunkSize: 64 * 1024, jobs: 2 });
    assert.equal(again.manifest.complete, true);
    assert.equal(again.manifest.data.reduce((n, d) => n + d.rows, 0), 7965);
  });
});
