import { PgmyError } from '../errors.js';

/** The parts of a scheme://user:password@host:port/path?query URI, percent-decoded (the query's pairs too). */
export interface UriParts {
  readonly scheme: string;
  readonly user?: string;
  readonly password?: string;
  /** Without the brackets of an IPv6 literal; may be a percent-decoded socket directory (/var/run/postgresql). */
  readonly host?: string;
  readonly port?: string;
  readonly path?: string;
  readonly query: ReadonlyArray<readonly [string, string]>;
}

/**
 * Splits a connection URI by hand, as libpq and the mysql client read one: WHATWG's URL keeps the brackets
 * of [::1] and does not decode a host, where libpq takes `%2Fvar%2Frun%2Fpostgresql` as a socket directory.
 * Returns undefined when the text is not a URI of one of the schemes.
 */
export function splitUri(text: string, schemes: readonly string[], what: string): UriParts | undefined {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(?:\/([^?#]*))?(?:\?([^#]*))?$/i.exec(text.trim());
  if (!m || !schemes.includes(m[1]!.toLowerCase())) return undefined;
  const authority = m[2] ?? '';
  const at = authority.lastIndexOf('@');
  const userInfo = at >= 0 ? authority.slice(0, at) : undefined;
  const hostPort = at >= 0 ? authority.slice(at + 1) : authority;
  const colon = userInfo?.indexOf(':') ?? -1;
  const user = userInfo === undefined ? undefined : colon >= 0 ? userInfo.slice(0, colon) : userInfo;
  const password = userInfo !== undefined && colon >= 0 ? userInfo.slice(colon + 1) : undefined;
  if (hostPort.includes(',')) {
    throw new PgmyError('bad-url', `${what} names several hosts (${hostPort}); pgmy connects to one.`, { hint: 'Give the host of the primary server.' });
  }
  const hp = /^(?:\[([^\]]*)\]|([^:]*))(?::(\d*))?$/.exec(hostPort);
  if (!hp) throw new PgmyError('bad-url', `${what}: "${hostPort}" is not host or host:port.`, { hint: 'An IPv6 address goes in brackets: [::1]:5432.' });
  const host = hp[1] ?? decode(hp[2] ?? '', what);
  const query = (m[4] ?? '').split('&').filter((p) => p !== '').map((pair): [string, string] => {
    const eq = pair.indexOf('=');
    if (eq < 0) throw new PgmyError('bad-url', `${what}: the parameter "${pair}" has no value.`, { hint: 'Write it as name=value.' });
    return [decode(pair.slice(0, eq), what), decode(pair.slice(eq + 1).replace(/\+/g, ' '), what)];
  });
  return {
    scheme: m[1]!.toLowerCase(),
    ...(user ? { user: decode(user, what) } : {}),
    ...(password !== undefined ? { password: decode(password, what) } : {}),
    ...(host ? { host } : {}),
    ...(hp[3] ? { port: hp[3] } : {}),
    ...(m[3] ? { path: decode(m[3], what) } : {}),
    query,
  };
}

function decode(s: string, what: string): string {
  try {
    return decodeURIComponent(s);
  } catch (cause) {
    throw new PgmyError('bad-url', `${what}: "${s}" is not valid percent-encoding.`, { hint: 'Write a literal % as %25.', cause });
  }
}
