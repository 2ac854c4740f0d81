import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dump } from '../../src/dump/dump.js';
import { verify } from '../../src/verify/verify.js';
import { privateMariadb, type PrivateServer } from '../helpers/private-mariadb.js';
import { cli, scratchPg, type ScratchPg } from '../helpers/servers.js';

const FIXTURE = new URL('../../../test/fixtures/django-shop.sql', import.meta.url).pathname;

describe('a server with local_infile off', () => {
  let server: PrivateServer | string;
  let src: ScratchPg;
  let tmp: string;
  let dir: string;

  before(async () => {
    server = await privateMariadb(['--local-infile=0']);
    src = await scratchPg('noinfile', [FIXTURE]);
    tmp = await mkdtemp(join(tmpdir(), 'pgmy-noinfile-'));
    dir = join(tmp, 'snap');
    await dump({ source: src.url, out: dir, chunkSize: 256 * 1024 });
  });
  after(async () => {
    if (typeof server !== 'string') await server.stop();
    await src?.drop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('load says what is wrong and how to enable it, loading nothing', async (t) => {
    if (typeof server === 'string') return t.skip(server);
    const r = await cli('load', '--target', `${server.url}/shop`, dir);
    assert.equal(r.code, 1);
    assert.match(r.err, /has local_infile switched off, so LOAD DATA LOCAL INFILE cannot run/);
    assert.match(r.err, /SET GLOBAL local_infile = 1/);
    assert.match(r.err, /--method insert/);
  });

  it('--method insert loads the same files completely, every row equal', async (t) => {
    if (typeof server === 'string') return t.skip(server);
    const r = await cli('load', '--target', `${server.url}/shop`, dir, '--method', 'insert', '--quiet');
    assert.equal(r.code, 0, r.err);
    const v = await verify({ source: src.url, target: `${server.url}/shop`, dir });
    assert.ok(v.match, JSON.stringify(v.tables.filter((x) => !x.match)));
    assert.equal(v.tables.length, 11);
  });
});
