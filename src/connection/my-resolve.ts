import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PgmyError } from '../errors.js';
import { readOptionFile } from './option-file.js';
import { splitUri } from './uri.js';
import { homeDir, loginName, portNumber, redactUrl, type ConnectionTarget, type ResolveContext } from './url.js';

/** The URL parameters (and ~/.my.cnf options) pgmy takes for the target. */
const MY_PARAMS = ['socket', 'protocol', 'ssl-ca', 'sslca', 'ssl-mode', 'sslmode'] as const;

/** Where the mysql client finds the server's socket when none is named (Debian's MariaDB and MySQL, then the upstream default). */
const SOCKETS = ['/run/mysqld/mysqld.sock', '/var/run/mysqld/mysqld.sock', '/tmp/mysql.sock'];

/**
 * Where and as whom to connect to MySQL/MariaDB, as the mysql client decides it: the URL
 * (mysql://user:pw@host:port/db?socket=…, host possibly [::1]), then the [client] and [pgmy] groups of
 * ~/.my.cnf, then MYSQL_HOST, MYSQL_TCP_PORT, MYSQL_UNIX_PORT and MYSQL_PWD, then defaults (localhost, 3306, the
 * login name). The password is the URL's, else the one given (a prompt's answer), else the option file's,
 * else MYSQL_PWD. As for the client, host `localhost` means the Unix socket (the one named, else the
 * default one if it exists) unless protocol=tcp; any other host, 127.0.0.1 included, means TCP.
 */
export function resolveMy(url: string, givenPassword?: string, ctx: ResolveContext = {}): ConnectionTarget {
  const env = ctx.env ?? process.env;
  const exists = ctx.exists ?? existsSync;
  const uri = splitUri(url, ['mysql', 'mariadb'], 'The target URL');
  if (!uri) {
    const looksLikeUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(url.trim());
    throw new PgmyError('bad-url', looksLikeUrl ? `"${redactUrl(url)}" should start with mysql:// or mariadb://.` : `"${redactUrl(url)}" is not a valid mysql URL.`, {
      hint: 'The target is MySQL/MariaDB: mysql://user@host:3306/dbname.',
    });
  }
  const query = new Map(uri.query);
  for (const k of query.keys()) {
    if (!(MY_PARAMS as readonly string[]).includes(k)) {
      throw new PgmyError('bad-url', `The target URL has an unknown parameter "${k}".`, { hint: `pgmy takes ${MY_PARAMS.join(', ')}.` });
    }
  }
  const cnfPath = join(homeDir(env), '.my.cnf');
  const cnf = readOptionFile(cnfPath, 'mysql');
  const file = new Map([...(cnf?.get('client') ?? []), ...(cnf?.get('pgmy') ?? [])]);
  const database = uri.path ?? '';
  if (!database) {
    throw new PgmyError('bad-url', `"${redactUrl(url)}" names no database.`, { hint: 'Add the database name after the host, e.g. mysql://user@host/shop.' });
  }
  const host = uri.host ?? file.get('host') ?? env.MYSQL_HOST ?? 'localhost';
  const port = portNumber(uri.port ?? file.get('port') ?? env.MYSQL_TCP_PORT ?? '3306', 'target', 'Give a number from 1 to 65535.');
  const protocol = (query.get('protocol') ?? file.get('protocol') ?? '').toLowerCase();
  const named = query.get('socket') ?? file.get('socket') ?? env.MYSQL_UNIX_PORT;
  const socket = host === 'localhost' && protocol !== 'tcp' ? named ?? SOCKETS.find((s) => exists(s)) : undefined;
  const password = uri.password ?? givenPassword ?? file.get('password') ?? env.MYSQL_PWD;
  const params = new Map<string, string>();
  for (const k of ['ssl-ca', 'ssl-mode'] as const) {
    const v = query.get(k) ?? query.get(k.replace('-', '')) ?? file.get(k);
    if (v !== undefined) params.set(k, v);
  }
  return {
    host, port, user: uri.user ?? file.get('user') ?? loginName(env), database, params,
    ...(socket ? { socket } : {}),
    ...(password !== undefined && password !== '' ? { password } : {}),
  };
}
