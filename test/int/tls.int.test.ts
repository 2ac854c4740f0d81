import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import mysql from 'mysql2/promise';
import { privateMariadb, type PrivateServer } from '../helpers/private-mariadb.js';
import { privatePostgres, type PrivatePostgres } from '../helpers/private-postgres.js';
import { cli, scratchMy, scratchPg, type ScratchPg } from '../helpers/servers.js';

function openssl(args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => execFile('openssl', args, { cwd }, (err, _o, stderr) => (err ? reject(new Error(`openssl ${args[0]}: ${stderr}`)) : resolve())));
}

let certs: string;
let server: PrivateServer | string;
let pgServer: PrivatePostgres | string;
let src: ScratchPg;

before(async () => {
  certs = await mkdtemp(join(tmpdir(), 'pgmy-tls-'));
  await chmod(certs, 0o755);
  await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=pgmy test CA'], certs);
  await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1'], certs);
  await writeFile(join(certs, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  await openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'ext.cnf'], certs);
  await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'other.key', '-out', 'other.pem', '-days', '2', '-subj', '/CN=someone else'], certs);
  // A client certificate for PostgreSQL's cert authentication: its CN is the user name.
  await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=certuser'], certs);
  await openssl(['x509', '-req', '-in', 'client.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'client.pem', '-days', '2'], certs);
  for (const f of ['ca.pem', 'server.pem', 'server.key', 'other.pem']) await chmod(join(certs, f), 0o644);
  pgServer = await privatePostgres({
    // TLS or nothing over TCP; certuser must show a client certificate.
    hba: ['hostssl all certuser 127.0.0.1/32 cert', 'hostssl all all 127.0.0.1/32 trust', 'hostssl all all ::1/128 trust',
      'host all all 0.0.0.0/0 reject', 'host all all ::/0 reject'],
    settings: { ssl: 'on', ssl_cert_file: 'server.crt', ssl_key_file: 'server.key', ssl_ca_file: 'root.crt' },
    files: { 'server.crt': join(certs, 'server.pem'), 'server.key': join(certs, 'server.key'), 'root.crt': join(certs, 'ca.pem') },
  });
  if (typeof pgServer !== 'string') {
    await pgServer.admin('CREATE DATABASE src');
    await pgServer.admin('CREATE USER certuser');
    await pgServer.admin(`CREATE TABLE t (id int PRIMARY KEY, v text, b bytea);
      INSERT INTO t SELECT g, 'v' || g || E'\\f\\t', decode(md5(g::text), 'hex') FROM generate_series(1, 2000) g;
      GRANT SELECT ON t TO certuser`, 'src');
  }
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
  if (typeof pgServer !== 'string') await pgServer.stop();
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
  assert.match(other.err, /Name the certificate authority that signed it with ssl-ca=/);

  const missing = await cli('load', '--target', `${base}/tlsdb?ssl-ca=${join(certs, 'nope.pem')}`, out);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /The file .*nope\.pem \(ssl-ca in the target URL\) cannot be read: ENOENT/);
});

test('the source over TLS: sslmode, sslrootcert and a client certificate behave as for psql', async (t) => {
  if (typeof pgServer === 'string') return t.skip(pgServer);
  const ca = join(certs, 'ca.pem');
  const port = new URL(pgServer.url).port;
  const at = (host: string, query: string, user = 'postgres'): string => `postgres://${user}@${host}:${port}/src${query}`;
  const plan = (url: string) => cli('plan', '--source', url, '--skip-scan');

  // The whole pipeline over a verified connection: COPY streams through TLS, verify reads through it too.
  const dst = await scratchMy('tlspg');
  try {
    const out = join(certs, 'pgsnap');
    const m = await cli('migrate', '--source', at('127.0.0.1', `?sslmode=verify-full&sslrootcert=${ca}`), '--target', dst.url, '--out', out, '--quiet');
    assert.equal(m.code, 0, m.err);
    const v = await cli('verify', '--source', at('127.0.0.1', `?sslmode=verify-full&sslrootcert=${ca}`), '--target', dst.url, out);
    assert.equal(v.code, 0, v.out + v.err);
    const rows = await dst.query<{ n: number }>('SELECT COUNT(*) AS n FROM t');
    assert.equal(Number(rows[0]?.n), 2000);
  } finally {
    await dst.drop();
  }

  const plain = await plan(at('127.0.0.1', ''));
  assert.equal(plain.code, 1, 'no sslmode means no TLS, which this server refuses');
  assert.match(plain.err, /no encryption/);
  assert.match(plain.err, /what to do: This server accepts only TLS connections from here: add \?sslmode=verify-full/);

  const req = await plan(at('127.0.0.1', '?sslmode=require'));
  assert.equal(req.code, 0, `require encrypts without checking the certificate: ${req.err}`);

  const wrongCa = await plan(at('127.0.0.1', `?sslmode=verify-full&sslrootcert=${join(certs, 'other.pem')}`));
  assert.equal(wrongCa.code, 1);
  assert.match(wrongCa.err, /certificate/i, 'a server certificate from another CA is refused');
  assert.match(wrongCa.err, /what to do: The server's certificate was not accepted\. Name the certificate authority that signed it with sslrootcert=/);

  const reqWrongCa = await plan(at('127.0.0.1', `?sslmode=require&sslrootcert=${join(certs, 'other.pem')}`));
  assert.equal(reqWrongCa.code, 1, 'require with a root certificate checks the chain, as libpq does');

  // The server's certificate names 127.0.0.1 only: verify-ca accepts it under another host name, verify-full does not.
  const caOnly = await plan(at('localhost', `?sslmode=verify-ca&sslrootcert=${ca}`));
  assert.equal(caOnly.code, 0, caOnly.err);
  const full = await plan(at('localhost', `?sslmode=verify-full&sslrootcert=${ca}`));
  assert.equal(full.code, 1);
  assert.match(full.err, /localhost/, 'the host name that does not match is named');
  assert.match(full.err, /sslmode=verify-ca checks the chain but not the host name/);

  // libpq's environment variables, as psql reads them.
  const saved = { mode: process.env.PGSSLMODE, root: process.env.PGSSLROOTCERT };
  process.env.PGSSLMODE = 'verify-full';
  process.env.PGSSLROOTCERT = ca;
  try {
    const env = await plan(at('127.0.0.1', ''));
    assert.equal(env.code, 0, env.err);
  } finally {
    for (const [k, v] of [['PGSSLMODE', saved.mode], ['PGSSLROOTCERT', saved.root]] as const) {
      if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
  }

  const cert = `&sslcert=${join(certs, 'client.pem')}&sslkey=${join(certs, 'client.key')}`;
  const withCert = await plan(at('127.0.0.1', `?sslmode=verify-full&sslrootcert=${ca}${cert}`, 'certuser'));
  assert.equal(withCert.code, 0, `a client certificate logs certuser in: ${withCert.err}`);
  const noCert = await plan(at('127.0.0.1', `?sslmode=verify-full&sslrootcert=${ca}`, 'certuser'));
  assert.equal(noCert.code, 1);
  assert.match(noCert.err, /what to do: This user logs in with a client certificate: add sslcert=/);

  const halfCert = await plan(at('127.0.0.1', `?sslmode=require&sslcert=${join(certs, 'client.pem')}`, 'certuser'));
  assert.equal(halfCert.code, 2);
  assert.match(halfCert.err, /needs both sslcert and sslkey/);
  const missing = await plan(at('127.0.0.1', `?sslmode=verify-full&sslrootcert=${join(certs, 'nope.pem')}`));
  assert.equal(missing.code, 2);
  assert.match(missing.err, /The file .*nope\.pem \(sslrootcert\) cannot be read: ENOENT/);
  const bad = await plan(at('127.0.0.1', '?sslmode=verify'));
  assert.equal(bad.code, 2);
  assert.match(bad.err, /Unknown sslmode "verify".*verify-ca, verify-full/s);
});
