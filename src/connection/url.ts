import { homedir, userInfo } from 'node:os';
import { PgmyError } from '../errors.js';

export interface ConnectionTarget {
  /** A host name, an IP address (IPv6 without brackets), or for PostgreSQL a socket directory. */
  readonly host: string;
  readonly port: number;
  /** MySQL/MariaDB: the Unix socket to connect through instead of host:port. */
  readonly socket?: string;
  readonly user: string;
  readonly password?: string;
  readonly database: string;
  readonly params: ReadonlyMap<string, string>;
}

/**
 * The source connection string when --source is not given: empty, so that resolvePg takes everything from
 * PG* variables and PGSERVICE, as psql does; refused when neither names a database.
 */
export function defaultSource(env: NodeJS.ProcessEnv = process.env): string {
  if (!env.PGDATABASE && !env.PGSERVICE) {
    throw new PgmyError('usage', 'No source: give --source postgres://user@host:5432/dbname (or host=… dbname=…), or set PGDATABASE or PGSERVICE (and PGHOST, PGPORT, PGUSER as needed).');
  }
  return '';
}

/** Replaces the password of any URL-looking text, and of any password=… pair, so that errors and logs never carry secrets. */
export function redactUrl(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]*@/gi, '$1***@')
    .replace(/(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]+)/gi, '$1***');
}

/** user@host:port/database, the IPv6 address in brackets; a socket is named as such. */
export function describeTarget(t: ConnectionTarget): string {
  const where = t.socket ? `localhost (socket ${t.socket})` : t.host.startsWith('/') ? `socket ${t.host}:${t.port}` : t.host.includes(':') ? `[${t.host}]:${t.port}` : `${t.host}:${t.port}`;
  return `${t.user}@${where}/${t.database}`;
}

/** The same place as a URL without its password: what the manifest and reports record. */
export function targetUrl(kind: 'postgres' | 'mysql', t: ConnectionTarget): string {
  const host = t.host.startsWith('/') ? encodeURIComponent(t.host) : t.host.includes(':') ? `[${t.host}]` : t.host;
  const socket = t.socket ? `?socket=${encodeURIComponent(t.socket)}` : '';
  return `${kind}://${encodeURIComponent(t.user)}@${host}:${t.port}/${encodeURIComponent(t.database)}${socket}`;
}

/** What resolvePg and resolveMy read besides the string: the environment, and whether a socket file exists (parameters for tests). */
export interface ResolveContext {
  readonly env?: NodeJS.ProcessEnv;
  readonly exists?: (path: string) => boolean;
}

/** The user's home folder, where ~/.pgpass, ~/.pg_service.conf and ~/.my.cnf live (HOME first, as libpq and the mysql client read it). */
export function homeDir(env: NodeJS.ProcessEnv): string {
  return env.HOME ?? homedir();
}

/** A port given as text (URL, keyword, option file or variable), refused unless 1 to 65535. */
export function portNumber(text: string, side: 'source' | 'target', hint: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 65535) {
    throw new PgmyError('bad-url', `The ${side} port "${text}" is not a port number.`, { hint });
  }
  return Number(text);
}

/** The operating system's name for the user running pgmy: libpq's and the mysql client's default user. */
export function loginName(env: NodeJS.ProcessEnv = process.env): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? env.LOGNAME ?? 'postgres';
  }
}
