import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { scratchMy, scratchPg, type ScratchMy, type ScratchPg } from '../helpers/servers.js';

describe('pgmy as a library (the package\'s main entry point)', () => {
  let src: ScratchPg;
  let dst: ScratchMy;
  let tmp: string;

  before(async () => {
    src = await scratchPg('lib');
    await src.query("CREATE TABLE t (id serial PRIMARY KEY, v text); INSERT INTO t (v) VALUES ('a'), (E'b\\fc')");
    dst = await scratchMy('lib');
    tmp = await mkdtemp(join(tmpdir(), 'pgmy-lib-'));
  });
  after(async () => {
    await src?.drop();
    await dst?.drop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('exports plan, dump, load, verify, migrate and PgmyError, and they work', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as { main: string };
    const lib = await import(new URL(`../../../${pkg.main}`, import.meta.url).href) as typeof import('../../src/index.js');
    for (const name of ['plan', 'dump', 'load', 'verify', 'migrate', 'inspect', 'PgmyError'] as const) assert.equal(typeof lib[name], 'function', name);
    const report = await lib.plan({ source: src.url });
    assert.equal(report.blocked, false);
    const out = join(tmp, 'snap');
    const result = await lib.migrate({ source: src.url, target: dst.url, out });
    assert.equal(result.load.chunksLoaded, 1);
    const v = await lib.verify({ source: src.url, target: dst.url, dir: out });
    assert.equal(v.match, true);
    await assert.rejects(lib.load({ target: dst.url, dir: join(tmp, 'nothing') }), (e: unknown) => e instanceof lib.PgmyError && e.code === 'manifest');
  });
});
