import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import { dump } from '../../src/dump/dump.js';
import { PgmyError } from '../../src/errors.js';
import { inspect } from '../../src/inspect/inspect.js';
import { verify } from '../../src/verify/verify.js';
import { MY_BASE, scratchMy, scratchName, scratchPg, type ScratchMy, type ScratchPg } from '../helpers/servers.js';

const BIN = new URL('../../../bin/pgmy.js', import.meta.url).pathname;
const PASSWORD = 'S3cret-pw!';

function pgmy(args: string[], stdin: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    child.stdin.end(stdin);
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe('passwords', () => {
  let src: ScratchPg;
  let dst: ScratchMy;
  let tmp: string;
  let dir: string;
  const user = scratchName('u').slice(0, 30);
  let admin: mysql.Connection;
  let host: string;

  before(async () => {
    src = await scratchPg('pw');
    await src.query('CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t SELECT generate_series(1, 10)');
    tmp = await mkdtemp(join(tmpdir(), 'pgmy-pw-'));
    dir = join(tmp, 'snap');
    await dump({ source: src.url, out: dir });
    dst = await scratchMy('pw');
    admin = await mysql.createConnection({ uri: MY_BASE });
    await admin.query(`CREATE USER '${user}'@'%' IDENTIFIED BY '${PASSWORD}'`);
    await admin.query(`GRANT ALL ON \`${dst.name}\`.* TO '${user}'@'%'`);
    host = MY_BASE.replace(/^mysql:\/\/[^@]*@/, '');
  });
  after(async () => {
    await admin?.query(`DROP USER IF EXISTS '${user}'@'%'`);
    await admin?.end();
    await dst?.drop();
    await src?.drop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('--password-prompt asks, without the password ever appearing in output', async () => {
    const r = await pgmy(['load', '--target', `mysql://${user}@${host}/${dst.name}`, dir, '--password-prompt'], `${PASSWORD}\n`);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, new RegExp(`Password for mysql://${user}@`));
    assert.doesNotMatch(r.out, new RegExp(PASSWORD.replace(/[!-]/g, '.')));
  });

  it('a wrong password: refused login, and neither password is shown', async () => {
    const r = await pgmy(['load', '--target', `mysql://${user}@${host}/${dst.name}`, dir, '--password-prompt'], 'not-it\n');
    assert.equal(r.code, 1);
    assert.match(r.out, /refused the login/);
    assert.doesNotMatch(r.out, /not-it/);
  });

  it('MYSQL_PWD from the environment works, and a password in a URL is redacted in every message', async () => {
    const env = await pgmy(['verify', '--source', src.url, '--target', `mysql://${user}@${host}/${dst.name}`, dir], '', { MYSQL_PWD: PASSWORD });
    assert.equal(env.code, 0, env.out);
    const inUrl = await pgmy(['load', '--target', `mysql://${user}:wrong${PASSWORD}@${host}/${dst.name}`, dir], '');
    assert.equal(inUrl.code, 1);
    assert.match(inUrl.out, new RegExp(`mysql://${user}:\\*\\*\\*@|${user}@`));
    assert.doesNotMatch(inUrl.out, /wrongS3cret/);
    const manifest = await readFile(join(dir, 'manifest.json'), 'utf8');
    assert.doesNotMatch(manifest, new RegExp(PASSWORD.replace(/[!-]/g, '.')));
  });
  it('the library takes passwords as values, not from the environment', async () => {
    assert.equal(process.env.MYSQL_PWD, undefined, 'this test needs no MYSQL_PWD in its environment');
    const target = `mysql://${user}@${host}/${dst.name}`;
    const v = await verify({ source: src.url, target, targetPassword: PASSWORD, dir });
    assert.equal(v.match, true);
    await assert.rejects(verify({ source: src.url, target, dir }), (e: unknown) => e instanceof PgmyError && e.code === 'auth');
    const i = await inspect(dir, target, PASSWORD);
    assert.equal(i.load?.done, true);
  });
});
