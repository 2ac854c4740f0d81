import { PgmyError } from '../errors.js';
import { splitUri } from './uri.js';
import { redactUrl } from './url.js';

/** The libpq keywords pgmy takes, in a URI's query or a key=value string. */
export const PG_KEYWORDS = [
  'host', 'hostaddr', 'port', 'user', 'password', 'dbname', 'service', 'passfile',
  'sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'application_name', 'connect_timeout',
] as const;

/**
 * A PostgreSQL connection string as libpq reads one, into its keywords: a URI
 * (postgresql://user:pw@host:port/db?keyword=value, host possibly [::1] or a percent-encoded socket
 * directory) or a key=value string (host=/var/run/postgresql dbname='my db'). Pure: defaults, the
 * environment and the service file are added by resolvePg. An unknown keyword is refused, as libpq does.
 */
export function parseConninfo(text: string): Map<string, string> {
  const shown = redactUrl(text);
  const uri = splitUri(text, ['postgres', 'postgresql'], 'The source URL');
  const out = new Map<string, string>();
  if (uri) {
    if (uri.user !== undefined) out.set('user', uri.user);
    if (uri.password !== undefined) out.set('password', uri.password);
    if (uri.host !== undefined) out.set('host', uri.host);
    if (uri.port !== undefined) out.set('port', uri.port);
    if (uri.path) out.set('dbname', uri.path);
    for (const [k, v] of uri.query) {
      // JDBC's ssl=true, which libpq takes as sslmode=require.
      if (k === 'ssl' && v === 'true') out.set('sslmode', 'require');
      else out.set(k, v);
    }
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text.trim())) {
    throw new PgmyError('bad-url', `"${shown}" should start with postgres:// or postgresql://.`, {
      hint: 'The source is PostgreSQL: postgres://user@host:5432/dbname, or host=… dbname=… as for psql.',
    });
  } else {
    for (const [k, v] of keyValues(text, shown)) out.set(k, v);
  }
  for (const k of out.keys()) {
    if (!(PG_KEYWORDS as readonly string[]).includes(k)) {
      throw new PgmyError('bad-url', `The source connection string has an unknown keyword "${k}".`, { hint: `pgmy takes ${PG_KEYWORDS.join(', ')}.` });
    }
  }
  return out;
}

/** libpq's key = value grammar: values bare or in single quotes, with \\ and \' escaped by a backslash. */
function keyValues(text: string, shown: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const re = /\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:'((?:[^'\\]|\\.)*)'|((?:[^\s'\\]|\\.)*))/y;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) {
      throw new PgmyError('bad-url', `"${shown}" is not a PostgreSQL URL or a key=value connection string.`, {
        hint: 'Use postgres://user@host:5432/dbname, or host=… port=… user=… dbname=… as for psql.',
      });
    }
    pairs.push([m[1]!, (m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1')]);
    at = re.lastIndex;
  }
  return pairs;
}
