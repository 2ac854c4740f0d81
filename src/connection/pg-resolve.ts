import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PgmyError } from '../errors.js';
import { parseConninfo } from './conninfo.js';
import { readOptionFile } from './option-file.js';
import { homeDir, loginName, portNumber, redactUrl, type ConnectionTarget, type ResolveContext } from './url.js';

/** libpq's environment variables for the keywords pgmy takes. */
const PG_ENV: ReadonlyArray<readonly [string, string]> = [
  ['host', 'PGHOST'], ['hostaddr', 'PGHOSTADDR'], ['port', 'PGPORT'], ['user', 'PGUSER'], ['dbname', 'PGDATABASE'],
  ['sslmode', 'PGSSLMODE'], ['sslrootcert', 'PGSSLROOTCERT'], ['sslcert', 'PGSSLCERT'], ['sslkey', 'PGSSLKEY'],
  ['connect_timeout', 'PGCONNECT_TIMEOUT'], ['passfile', 'PGPASSFILE'],
];

/** Where libpq looks for the server's socket when no host is named (Debian's directory, then upstream's). */
const SOCKET_DIRS = ['/var/run/postgresql', '/tmp'];

/**
 * Where and as whom to connect to PostgreSQL, decided as libpq decides it: the connection string's own
 * keywords (URI or key=value), then the service's (service= or PGSERVICE, in PGSERVICEFILE or
 * ~/.pg_service.conf, then PGSYSCONFDIR/pg_service.conf), then PG* variables, then defaults (the local
 * socket directory if the server's socket is there, else localhost; port 5432; the login name). The password
 * is the string's, else the one given (a prompt's answer), else the service's, else PGPASSWORD; ~/.pgpass
 * (or passfile / PGPASSFILE) is read at connect time when none of them has one. Unlike libpq, a missing
 * database name is an error rather than the user's name: pgmy moves a database and should be told which.
 */
export function resolvePg(text: string, givenPassword?: string, ctx: ResolveContext = {}): ConnectionTarget {
  const env = ctx.env ?? process.env;
  const exists = ctx.exists ?? existsSync;
  const explicit = parseConninfo(text);
  const service = explicit.get('service') ?? env.PGSERVICE;
  const fromService = service === undefined ? new Map<string, string>() : serviceKeywords(service, env);
  const pick = (k: string): string | undefined => {
    const fromEnv = PG_ENV.find(([kw]) => kw === k)?.[1];
    const v = explicit.get(k) ?? fromService.get(k) ?? (fromEnv ? env[fromEnv] : undefined);
    return v === '' ? undefined : v;
  };
  const port = portNumber(pick('port') ?? '5432', 'source', 'Give a number from 1 to 65535 (URL, port=, or PGPORT).');
  const host = pick('hostaddr') ?? pick('host') ?? SOCKET_DIRS.find((d) => exists(join(d, `.s.PGSQL.${port}`))) ?? 'localhost';
  const database = pick('dbname');
  if (!database) {
    throw new PgmyError('bad-url', `The source connection "${redactUrl(text)}" names no database.`, {
      hint: 'Add the database: postgres://user@host/shop, dbname=shop, or PGDATABASE=shop.',
    });
  }
  const password = explicit.get('password') ?? givenPassword ?? fromService.get('password') ?? env.PGPASSWORD;
  const params = new Map<string, string>();
  for (const k of ['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'connect_timeout', 'passfile']) {
    const v = pick(k);
    if (v !== undefined) params.set(k, v);
  }
  return {
    host, port, user: pick('user') ?? loginName(env), database, params,
    ...(password !== undefined && password !== '' ? { password } : {}),
  };
}

function serviceKeywords(name: string, env: NodeJS.ProcessEnv): Map<string, string> {
  const files = [env.PGSERVICEFILE ?? join(homeDir(env), '.pg_service.conf'), join(env.PGSYSCONFDIR ?? '/etc/postgresql-common', 'pg_service.conf')];
  for (const file of files) {
    const section = readOptionFile(file, 'libpq')?.get(name);
    if (section) return section;
  }
  throw new PgmyError('bad-url', `The PostgreSQL service "${name}" is not defined in ${files.join(' or ')}.`, {
    hint: 'Define it there ([name] then host=, port=, dbname=, user= lines), or set PGSERVICEFILE to the file that has it.',
  });
}
