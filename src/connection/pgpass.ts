import { createRequire } from 'node:module';
import type { ConnectionTarget } from './url.js';

interface PgpassQuery { host: string; port: number; database: string; user: string }
type Pgpass = (q: PgpassQuery, cb: (password: string | undefined) => void) => void;

/** node-postgres's own ~/.pgpass reader (CommonJS, untyped), used as libpq uses the file. */
const pgpass = createRequire(import.meta.url)('pgpass') as Pgpass;

/**
 * The password ~/.pgpass (or PGPASSFILE, or the passfile keyword) holds for this connection, if any: lines
 * host:port:database:user:password with * as a wildcard; the file is ignored when others can read it, as
 * libpq ignores it. A socket connection matches the host name localhost, as in libpq.
 */
export function pgpassPassword(t: ConnectionTarget): Promise<string | undefined> {
  const host = t.host.startsWith('/') ? 'localhost' : t.host;
  const passfile = t.params.get('passfile');
  const saved = process.env.PGPASSFILE;
  if (passfile !== undefined) process.env.PGPASSFILE = passfile;
  // pgpass reads the file's name from the environment synchronously, at the call: put it back right after.
  try {
    return new Promise<string | undefined>((resolve) => pgpass({ host, port: t.port, database: t.database, user: t.user }, resolve));
  } finally {
    if (passfile !== undefined) {
      if (saved === undefined) delete process.env.PGPASSFILE;
      else process.env.PGPASSFILE = saved;
    }
  }
}
