import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { describeTarget, redactUrl, targetUrl } from '../../src/connection/url.js';
import { parseConninfo } from '../../src/connection/conninfo.js';
import { resolvePg } from '../../src/connection/pg-resolve.js';
import { resolveMy } from '../../src/connection/my-resolve.js';
import { parseOptionFile } from '../../src/connection/option-file.js';

const noSocket = () => false;
function home(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pgmy-home-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text, { mode: 0o600 });
  return dir;
}

describe('PostgreSQL connection strings, as libpq reads them', () => {
  it('reads user, password, host, port and database from a URI, percent-decoded', () => {
    const t = resolvePg('postgres://app:p%40ss@db.example:6432/shop', undefined, { env: {}, exists: noSocket });
    assert.deepEqual([t.user, t.password, t.host, t.port, t.database], ['app', 'p@ss', 'db.example', 6432, 'shop']);
  });
  it('takes an IPv6 literal without its brackets, and shows it with them', () => {
    const t = resolvePg('postgresql://u@[::1]:5433/db', undefined, { env: {}, exists: noSocket });
    assert.equal(t.host, '::1');
    assert.equal(t.port, 5433);
    assert.equal(describeTarget(t), 'u@[::1]:5433/db');
    assert.equal(targetUrl('postgres', t), 'postgres://u@[::1]:5433/db');
  });
  it('takes a socket directory as a percent-encoded host or as ?host=, and ?user= / ?port= over the URI parts', () => {
    assert.equal(resolvePg('postgres://%2Fvar%2Frun%2Fpostgresql/db', undefined, { env: {} }).host, '/var/run/postgresql');
    const t = resolvePg('postgres://ignored@h:1/db?host=/tmp&user=bob&port=5444&sslmode=require', undefined, { env: {} });
    assert.deepEqual([t.host, t.user, t.port, t.params.get('sslmode')], ['/tmp', 'bob', 5444, 'require']);
    assert.equal(parseConninfo('postgres://h/db?ssl=true').get('sslmode'), 'require');
  });
  it('reads key=value strings with quoting and escapes', () => {
    const k = parseConninfo(`host=localhost port = 5433 dbname='my db' user=o\\'neil password='it\\'s'`);
    assert.deepEqual(Object.fromEntries(k), { host: 'localhost', port: '5433', dbname: 'my db', user: "o'neil", password: "it's" });
    assert.throws(() => parseConninfo('host=h dbname'), /not a PostgreSQL URL or a key=value/);
    assert.throws(() => parseConninfo('host=h colour=blue dbname=x'), /unknown keyword "colour"/);
    assert.throws(() => parseConninfo('mysql://x@h/db'), /should start with postgres:\/\//);
    assert.throws(() => parseConninfo('postgres://a,b/db'), /several hosts/);
  });
  it('fills what the string leaves out from PG* variables, then defaults; the string wins', () => {
    const env = { PGHOST: 'envhost', PGPORT: '5999', PGUSER: 'envuser', PGDATABASE: 'envdb', PGPASSWORD: 'envpw', PGSSLMODE: 'verify-full' };
    const t = resolvePg('', undefined, { env, exists: noSocket });
    assert.deepEqual([t.host, t.port, t.user, t.database, t.password, t.params.get('sslmode')], ['envhost', 5999, 'envuser', 'envdb', 'envpw', 'verify-full']);
    const u = resolvePg('host=other dbname=mine', 'prompted', { env, exists: noSocket });
    assert.deepEqual([u.host, u.port, u.database, u.password], ['other', 5999, 'mine', 'prompted']);
    assert.throws(() => resolvePg('host=h', undefined, { env: {} }), /names no database/);
    assert.throws(() => resolvePg('host=h dbname=d port=abc', undefined, { env: {} }), /not a port number/);
  });
  it('uses the local socket directory when no host is named and the socket is there, else localhost', () => {
    assert.equal(resolvePg('dbname=d', undefined, { env: {}, exists: (p) => p === '/var/run/postgresql/.s.PGSQL.5432' }).host, '/var/run/postgresql');
    assert.equal(resolvePg('dbname=d port=7777', undefined, { env: {}, exists: (p) => p === '/tmp/.s.PGSQL.7777' }).host, '/tmp');
    assert.equal(resolvePg('dbname=d', undefined, { env: {}, exists: noSocket }).host, 'localhost');
  });
  it('reads a service from PGSERVICEFILE or ~/.pg_service.conf: below the string, above PG* variables', () => {
    const dir = home({ '.pg_service.conf': '# mine\n[shop]\nhost=svc.example\nport=6000\ndbname=shopdb\nuser=svcuser\npassword=svcpw\n' });
    const t = resolvePg('service=shop user=me', undefined, { env: { HOME: dir, PGHOST: 'envhost', PGSYSCONFDIR: dir } });
    assert.deepEqual([t.host, t.port, t.database, t.user, t.password], ['svc.example', 6000, 'shopdb', 'me', 'svcpw']);
    const viaEnv = resolvePg('', undefined, { env: { PGSERVICE: 'shop', PGSERVICEFILE: join(dir, '.pg_service.conf'), PGSYSCONFDIR: dir } });
    assert.equal(viaEnv.database, 'shopdb');
    assert.throws(() => resolvePg('service=nosuch', undefined, { env: { HOME: dir, PGSYSCONFDIR: dir } }), /service "nosuch" is not defined/);
  });
});

describe('MySQL connection URLs and ~/.my.cnf, as the mysql client reads them', () => {
  it('reads the URL, IPv6 literals included', () => {
    const t = resolveMy('mysql://app:p%40ss@[::1]:3307/shop', undefined, { env: { HOME: '/nonexistent' } });
    assert.deepEqual([t.user, t.password, t.host, t.port, t.database, t.socket], ['app', 'p@ss', '::1', 3307, 'shop', undefined]);
    assert.throws(() => resolveMy('postgres://x@h/db', undefined, { env: { HOME: '/nonexistent' } }), /should start with mysql:\/\//);
    assert.throws(() => resolveMy('mysql://x@h', undefined, { env: { HOME: '/nonexistent' } }), /names no database/);
    assert.throws(() => resolveMy('mysql://x@h/db?colour=1', undefined, { env: { HOME: '/nonexistent' } }), /unknown parameter "colour"/);
  });
  it('localhost is the socket (the named one, else the default if it exists) unless protocol=tcp; 127.0.0.1 is TCP', () => {
    const env = { HOME: '/nonexistent' };
    assert.equal(resolveMy('mysql://u@localhost/db?socket=/s/my.sock', undefined, { env }).socket, '/s/my.sock');
    assert.equal(resolveMy('mysql://u@localhost/db', undefined, { env, exists: (p) => p === '/run/mysqld/mysqld.sock' }).socket, '/run/mysqld/mysqld.sock');
    assert.equal(resolveMy('mysql://u@localhost/db?protocol=tcp', undefined, { env, exists: () => true }).socket, undefined);
    assert.equal(resolveMy('mysql://u@127.0.0.1/db?socket=/s/my.sock', undefined, { env }).socket, undefined);
    assert.equal(describeTarget(resolveMy('mysql://u@localhost/db?socket=/s/my.sock', undefined, { env })), 'u@localhost (socket /s/my.sock)/db');
  });
  it('fills user, password, host, port and socket from ~/.my.cnf [client] and [pgmy], below the URL, above MYSQL_* variables', () => {
    const dir = home({ '.my.cnf': '[mysqld]\nport=1\n[client]\nuser = cnfuser\npassword = "p#w \\"x"\nhost=cnfhost # a comment\nport=3310\n[pgmy]\nport=3311\n' });
    const env = { HOME: dir, MYSQL_PWD: 'envpw', MYSQL_HOST: 'envhost' };
    const t = resolveMy('mysql:///shop', undefined, { env });
    assert.deepEqual([t.user, t.password, t.host, t.port], ['cnfuser', 'p#w "x', 'cnfhost', 3311]);
    const u = resolveMy('mysql://me:urlpw@urlhost/shop', undefined, { env });
    assert.deepEqual([u.user, u.password, u.host, u.port], ['me', 'urlpw', 'urlhost', 3311]);
    const v = resolveMy('mysql://me@urlhost/shop', 'prompted', { env });
    assert.equal(v.password, 'prompted');
    const w = resolveMy('mysql://me@urlhost/shop', undefined, { env: { HOME: '/nonexistent', MYSQL_PWD: 'envpw', MYSQL_TCP_PORT: '3320' } });
    assert.deepEqual([w.password, w.port], ['envpw', 3320]);
  });
  it('reads option files by their owners\' rules', () => {
    const my = parseOptionFile('; c\n[client]\nskip_ssl\nsocket=\'/a b/s\' # c\npassword=a\\sb\n!include /etc/x\n', 'mysql').get('client');
    assert.deepEqual(Object.fromEntries(my ?? []), { 'skip-ssl': '', socket: '/a b/s', password: 'a b' });
    const pg = parseOptionFile('[a]\n# c\nhost=h\ndbname = d\n', 'libpq').get('a');
    assert.deepEqual(Object.fromEntries(pg ?? []), { host: 'h', dbname: 'd' });
  });
  it('never shows a password, in a URL or a key=value string', () => {
    assert.equal(redactUrl('failed for postgres://bob:s3cret@db:5432/x'), 'failed for postgres://bob:***@db:5432/x');
    assert.equal(redactUrl("host=h password='a b' dbname=x"), 'host=h password=*** dbname=x');
  });
});
