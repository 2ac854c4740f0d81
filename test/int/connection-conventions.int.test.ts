import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cli, scratchMy, scratchPg, type ScratchMy, type ScratchPg } from '../helpers/servers.js';
import { privatePostgres, type PrivatePostgres } from '../helpers/private-postgres.js';

/** Whether this machine can listen on ::1 (containers without IPv6 cannot). */
async function ipv6(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(0, '::1', () => s.close(() => resolve(true)));
  });
}

/** Runs the CLI in this process with HOME and some variables set for the call only. */
async function withEnv<T>(vars: Record<string, string | undefined>, work: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return await work();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('connections as libpq and the mysql client take them, against real servers', () => {
  let home: string;
  let server: PrivatePostgres | string;
  let port = 0;
  let src: ScratchPg;
  let dst: ScratchMy;
  const none = { PGPASSWORD: undefined, PGPASSFILE: undefined, PGSERVICE: undefined, PGSERVICEFILE: undefined, PGHOST: undefined, PGPORT: undefined, PGUSER: undefined, PGDATABASE: undefined, MYSQL_PWD: undefined };

  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'pgmy-home-'));
    const v6 = await ipv6();
    server = await privatePostgres({
      // A password is asked over TCP (IPv4 and IPv6): only ~/.pgpass or a service can give it.
      hba: ['host all app 127.0.0.1/32 scram-sha-256', 'host all app ::1/128 scram-sha-256'],
      settings: { listen_addresses: v6 ? '127.0.0.1,::1' : '127.0.0.1', password_encryption: 'scram-sha-256' },
    });
    if (typeof server !== 'string') {
      port = Number(new URL(server.url).port);
      await server.admin("CREATE USER app PASSWORD 'se:cr\\et'");
      await server.admin('CREATE DATABASE shop OWNER app');
      await server.admin('CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 300) g; ALTER TABLE t OWNER TO app', 'shop');
    }
    src = await scratchPg('conv');
    await src.query("CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 50) g");
    dst = await scratchMy('conv');
  });
  after(async () => {
    if (typeof server !== 'string') await server.stop();
    await src?.drop();
    await dst?.drop();
    await rm(home, { recursive: true, force: true });
  });

  it('a key=value source with its password in ~/.pgpass connects; without the file the login is refused', async (t) => {
    if (typeof server === 'string') return t.skip(server);
    const source = `host=127.0.0.1 port=${port} user=app dbname=shop`;
    const refused = await withEnv({ ...none, HOME: home }, () => cli('plan', '--source', source, '--skip-scan'));
    assert.equal(refused.code, 1, refused.err);
    assert.match(refused.err, /asks for a password and none was given/);
    // pgpass escapes a colon and a backslash with a backslash, as libpq does.
    await writeFile(join(home, '.pgpass'), `127.0.0.1:${port}:shop:app:se\\:cr\\\\et\n`, { mode: 0o600 });
    const ok = await withEnv({ ...none, HOME: home }, () => cli('plan', '--source', source, '--skip-scan'));
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /\bt\b/);
  });

  it('PGSERVICE names a section of ~/.pg_service.conf; the password still comes from ~/.pgpass', async (t) => {
    if (typeof server === 'string') return t.skip(server);
    await writeFile(join(home, '.pgpass'), `*:${port}:*:app:se\\:cr\\\\et\n`, { mode: 0o600 });
    await writeFile(join(home, '.pg_service.conf'), `[shop]\nhost=127.0.0.1\nport=${port}\nuser=app\ndbname=shop\n`);
    const out = join(home, 'svc-dump');
    const r = await withEnv({ ...none, HOME: home, PGSERVICE: 'shop', PGSYSCONFDIR: home }, () => cli('dump', '--out', out));
    assert.equal(r.code, 0, r.err);
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as { source: { url: string }; data: Array<{ rows: number }> };
    assert.equal(manifest.source.url, `postgres://app@127.0.0.1:${port}/shop`);
    assert.equal(manifest.data[0]?.rows, 300);
  });

  it('an IPv6 literal in brackets reaches the server on ::1', async (t) => {
    if (typeof server === 'string') return t.skip(server);
    if (!(await ipv6())) return t.skip('no IPv6 on this machine');
    const r = await withEnv({ ...none, HOME: home }, () => cli('plan', '--source', `postgres://app@[::1]:${port}/shop`, '--skip-scan'));
    assert.equal(r.code, 0, r.err);
  });

  it('PGHOST as a socket directory, and a percent-encoded socket directory in the URL, reach the local server', async () => {
    const viaEnv = await withEnv({ ...none, HOME: home, PGHOST: '/var/run/postgresql', PGUSER: 'postgres', PGDATABASE: src.name }, () => cli('plan', '--skip-scan'));
    assert.equal(viaEnv.code, 0, viaEnv.err);
    const viaUrl = await withEnv({ ...none, HOME: home }, () => cli('plan', '--skip-scan', '--source', `postgres://postgres@%2Fvar%2Frun%2Fpostgresql/${src.name}`));
    assert.equal(viaUrl.code, 0, viaUrl.err);
  });

  it('the target through the MariaDB socket, and from ~/.my.cnf [client]', async () => {
    const viaSocket = await withEnv({ ...none, HOME: home }, () =>
      cli('migrate', '--source', src.url, '--target', `mysql://root@localhost/${dst.name}?socket=/run/mysqld/mysqld.sock`, '--out', join(home, 'sock-dump'), '--quiet'));
    assert.equal(viaSocket.code, 0, viaSocket.err);
    assert.deepEqual(await dst.query('SELECT COUNT(*) AS n FROM t'), [{ n: '50' }]);
    // A [client] group that sends pgmy to a port nothing listens on: the URL's port wins over it, the file's user is used.
    await writeFile(join(home, '.my.cnf'), '[client]\nuser = root\nhost = 127.0.0.1\n[pgmy]\nport = 3306\n');
    const viaCnf = await withEnv({ ...none, HOME: home }, () => cli('verify', '--source', src.url, '--target', `mysql:///${dst.name}`));
    assert.equal(viaCnf.code, 0, viaCnf.err);
    await writeFile(join(home, '.my.cnf'), '[client]\nuser = root\nhost = 127.0.0.1\nport = 1\n');
    const wrongPort = await withEnv({ ...none, HOME: home }, () => cli('verify', '--source', src.url, '--target', `mysql:///${dst.name}`));
    assert.notEqual(wrongPort.code, 0);
    assert.match(wrongPort.err, /Cannot reach MySQL at root@127\.0\.0\.1:1\//);
  });
});
