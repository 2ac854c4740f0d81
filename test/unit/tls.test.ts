import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PgmyError } from '../../src/errors.js';
import { pgSslOptions, pgSslSettings, tlsHint } from '../../src/connection/tls.js';

const params = (q: string): Map<string, string> => new Map(new URLSearchParams(q).entries());

test('sslmode and friends come from the URL first, then from PGSSL* variables; none means disable', () => {
  assert.deepEqual(pgSslSettings(params(''), {}), { mode: 'disable' });
  assert.deepEqual(pgSslSettings(params(''), { PGSSLMODE: 'require', PGSSLROOTCERT: '/ca' }), { mode: 'require', rootCert: '/ca' });
  assert.deepEqual(pgSslSettings(params('sslmode=verify-ca&sslrootcert=/a'), { PGSSLMODE: 'require', PGSSLROOTCERT: '/b' }),
    { mode: 'verify-ca', rootCert: '/a' });
  assert.deepEqual(pgSslSettings(params('sslmode=require&sslcert=/c&sslkey=/k'), {}), { mode: 'require', cert: '/c', key: '/k' });
});

test('an unknown sslmode or half a client certificate is a usage error', () => {
  assert.throws(() => pgSslSettings(params('sslmode=on'), {}), (e: unknown) => e instanceof PgmyError && e.code === 'usage' && /Unknown sslmode "on"/.test(e.message));
  assert.throws(() => pgSslSettings(params('sslmode=require&sslkey=/k'), {}), /needs both sslcert and sslkey/);
});

test('what each sslmode asks of node-postgres', async () => {
  for (const mode of ['disable', 'allow', 'prefer'] as const) assert.equal(await pgSslOptions({ mode }), undefined);
  assert.deepEqual(await pgSslOptions({ mode: 'require' }), { rejectUnauthorized: false });
  assert.deepEqual(await pgSslOptions({ mode: 'require', rootCert: 'system' }), { rejectUnauthorized: false });
  const full = await pgSslOptions({ mode: 'verify-full' });
  assert.deepEqual(full, { rejectUnauthorized: true }, 'verify-full keeps the host name check');
  const ca = await pgSslOptions({ mode: 'verify-ca' });
  assert.equal(ca?.rejectUnauthorized, true);
  assert.equal(ca?.checkServerIdentity?.('h', {} as never), undefined, 'verify-ca skips the host name check');
  await assert.rejects(pgSslOptions({ mode: 'require', rootCert: '/nonexistent/ca.pem' }), /The file \/nonexistent\/ca\.pem \(sslrootcert\) cannot be read: ENOENT/);
});

test('TLS failures get a hint naming the option of their side; other failures get none', () => {
  assert.match(tlsHint('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate', 'source') ?? '', /sslrootcert=\/path\/ca\.pem; sslmode=require/);
  assert.match(tlsHint('ERR_TLS_CERT_ALTNAME_INVALID', 'Hostname/IP does not match', 'source') ?? '', /verify-ca/);
  assert.match(tlsHint('ERR_TLS_CERT_ALTNAME_INVALID', 'Hostname/IP does not match', 'target') ?? '', /ssl-ca=\/path\/ca\.pem; ssl-mode=required/);
  assert.match(tlsHint('28000', 'pg_hba.conf rejects connection for host "h", no encryption', 'source') ?? '', /sslmode=verify-full/);
  assert.match(tlsHint(undefined, 'The server does not support SSL connections', 'source') ?? '', /TLS switched off/);
  assert.match(tlsHint('HANDSHAKE_SSL_ERROR (undefined)', 'self-signed certificate in certificate chain', 'target') ?? '', /ssl-ca=/);
  assert.equal(tlsHint('28P01', 'password authentication failed for user "x"', 'source'), undefined);
  assert.equal(tlsHint('ECONNREFUSED', 'connect ECONNREFUSED', 'target'), undefined);
});
