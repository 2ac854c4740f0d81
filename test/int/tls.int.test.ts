import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import mysql from 'mysql2/promise';
import { privateMariadb, type PrivateServer } from '../helpers/private-mariadb.js';
import { cli, scratchPg, type ScratchPg } from '../helpers/servers.js';

function openssl(args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => execFile('openssl', args, { cwd }, (err, _o, stderr) => (err ? reject(new Error(`openssl ${args[0]}: ${stderr}`)) : resolve())));
}

let certs: string;
let server: PrivateServer | string;
let src: ScratchPg;

before(async () => {
  certs = await mkdtemp(join(tmpdir(), 'pgmy-tls-'));
  await chmod(certs, 0o755);
  await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=pgmy test CA'], certs);
  await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1'], certs);
  await writeFile(join(certs, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  await openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'ext.cnf'], certs);
  await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'other.key', '-out', 'other.pem', '-days', '2', '-subj', '/CN=someone else'], certs);
  for (const f of ['ca.pem', 'server.pem', 'server.key', 'other.pem']) await chmod(join(certs, f), 0o644);
  server = await privateMariadb([`--ssl-ca=${join(certs, 'ca.pem')}`, `--ssl-cert=${join(certs, 'server.pem')}`, `--ssl-key=${join(certs, 'server.key')}`]);
  if (typeof server !== 'string') {
    const root = await mysql.createConnection({ uri: server.url });
    await root.query("CREATE USER 'tls'@'%' REQUIRE SSL");
    await root.query("GRANT ALL ON *.* TO 'tls'@'%'");
    await root.end();
  }
  src = await scratchPg('tls');
  await src.query(`CREATE TABLE t (id int PRIMARY KEY, v text)`);
  await src.query(`INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 500) g`);
});

after(async () => {
  if (typeof server !== 'string') await server.stop();
  await src.drop();
  await rm(certs, { recursive: true, force: true });
});

test('the target over TLS: ssl-ca (a file) verifies the server; without TLS or with another CA it is refused', async (t) => {
  if (typeof server === 'string') return t.skip(server);
  const base = server.url.replace('mysql://root@', 'mysql://tls@');
  const ca = join(certs, 'ca.pem');
  const out = join(certs, 'snap');

  const m = await cli('migrate', '--source', src.url, '--target', `${base}/tlsdb?ssl-ca=${ca}`, '--out', out, '--quiet');
  assert.equal(m.code, 0, m.err);
  const v = await cli('verify', '--source', src.url, '--target', `${base}/tlsdb?ssl-ca=${ca}`, out);
  assert.equal(v.code, 0, v.out + v.err);

  const plain = await cli('load', '--target', `${base}/tlsdb`, out);
  assert.equal(plain.code, 1);
  assert.match(plain.err, /Access denied for user 'tls'/, 'a user that requires TLS is refused without it');

  const required = await cli('load', '--target', `${base}/tlsdb?ssl-mode=required`, out, '--quiet');
  assert.equal(required.code, 0, `ssl-mode=required encrypts without verifying: ${required.err}`);

  const other = await cli('load', '--target', `${base}/tlsdb?ssl-ca=${join(certs, 'other.pem')}`, out);
  assert.equal(other.code, 1);
  assert.match(other.err, /certificate/i, 'a server certificate from another CA is refused');

  const missing = await cli('load', '--target', `${base}/tlsdb?ssl-ca=${join(certs, 'nope.pem')}`, out);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /The CA certificate .*nope\.pem \(ssl-ca in the target URL\) cannot be read: ENOENT/);
});
