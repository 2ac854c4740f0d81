import { PgmyError } from '../errors.js';

export interface ConnectionTarget {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password?: string;
  readonly database: string;
  readonly params: ReadonlyMap<string, string>;
}

/**
 * Parses postgres:// or mysql:// URLs. The password is the URL's, else the one the caller passes (a prompt's
 * answer, a library user's value), else the environment's (PGPASSWORD / MYSQL_PWD), so that it never needs
 * to be on a command line.
 */
export function parseUrl(url: string, kind: 'postgres' | 'mysql', givenPassword?: string): ConnectionTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch (cause) {
    throw new PgmyError('bad-url', `"${redactUrl(url)}" is not a valid ${kind} URL.`, {
      hint: kind === 'postgres' ? 'Use postgres://user@host:5432/dbname.' : 'Use mysql://user@host:3306/dbname.',
      cause,
    });
  }
  const schemes = kind === 'postgres' ? ['postgres:', 'postgresql:'] : ['mysql:', 'mariadb:'];
  if (!schemes.includes(u.protocol)) {
    throw new PgmyError('bad-url', `"${redactUrl(url)}" should start with ${schemes.map((s) => s + '//').join(' or ')}.`, {
      hint: kind === 'postgres' ? 'The source is PostgreSQL: postgres://user@host:5432/dbname.' : 'The target is MySQL/MariaDB: mysql://user@host:3306/dbname.',
    });
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!database) {
    throw new PgmyError('bad-url', `"${redactUrl(url)}" names no database.`, {
      hint: `Add the database name after the host, e.g. ${kind}://user@host/${kind === 'postgres' ? 'shop' : 'shop'}.`,
    });
  }
  const envPassword = kind === 'postgres' ? process.env.PGPASSWORD : process.env.MYSQL_PWD;
  const password = u.password ? decodeURIComponent(u.password) : givenPassword ?? envPassword;
  const defaultUser = kind === 'postgres' ? (process.env.PGUSER ?? process.env.USER ?? 'postgres') : 'root';
  return {
    host: u.hostname || 'localhost',
    port: u.port ? Number(u.port) : kind === 'postgres' ? 5432 : 3306,
    user: u.username ? decodeURIComponent(u.username) : defaultUser,
    ...(password !== undefined && password !== '' ? { password } : {}),
    database,
    params: new Map(u.searchParams.entries()),
  };
}

/**
 * The source URL from PostgreSQL's own environment variables (PGHOST, PGPORT, PGUSER, PGDATABASE,
 * PGSSLMODE; PGPASSWORD is read where the URL is used), for when --source is not given.
 */
export function sourceUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  if (!env.PGDATABASE) {
    throw new PgmyError('usage', 'No source: give --source postgres://user@host:5432/dbname, or set PGDATABASE (and PGHOST, PGPORT, PGUSER as needed).');
  }
  const user = env.PGUSER ? `${encodeURIComponent(env.PGUSER)}@` : '';
  const host = env.PGHOST && !env.PGHOST.startsWith('/') ? env.PGHOST : 'localhost';
  const ssl = env.PGSSLMODE ? `?sslmode=${encodeURIComponent(env.PGSSLMODE)}` : '';
  return `postgres://${user}${host}:${env.PGPORT ?? '5432'}/${encodeURIComponent(env.PGDATABASE)}${ssl}`;
}

/** Replaces the password part of any URL-looking text, so that errors and logs never carry secrets. */
export function redactUrl(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]*@/gi, '$1***@');
}

export function describeTarget(t: ConnectionTarget): string {
  return `${t.user}@${t.host}:${t.port}/${t.database}`;
}
