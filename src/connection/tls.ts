import { readFile } from 'node:fs/promises';
import type { ConnectionOptions } from 'node:tls';
import { PgmyError } from '../errors.js';

/** PostgreSQL's sslmode values, as libpq names them. */
const PG_SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type PgSslMode = (typeof PG_SSL_MODES)[number];

/** What the source URL (or PG* environment) asks of TLS, before any file is read. */
export interface PgSslSettings {
  readonly mode: PgSslMode;
  readonly rootCert?: string;
  readonly cert?: string;
  readonly key?: string;
}

/**
 * Reads sslmode, sslrootcert, sslcert and sslkey from the URL's parameters, falling back to PGSSLMODE,
 * PGSSLROOTCERT, PGSSLCERT and PGSSLKEY, as libpq does. No mode means disable: node-postgres cannot fall
 * back from TLS to plain, so libpq's default `prefer` is not imitated.
 */
export function pgSslSettings(params: ReadonlyMap<string, string>, env: NodeJS.ProcessEnv = process.env): PgSslSettings {
  const mode = params.get('sslmode') ?? env.PGSSLMODE ?? 'disable';
  if (!(PG_SSL_MODES as readonly string[]).includes(mode)) {
    throw new PgmyError('usage', `Unknown sslmode "${mode}" for the PostgreSQL source.`, {
      hint: `Use one of ${PG_SSL_MODES.join(', ')} (as for psql).`,
    });
  }
  const rootCert = params.get('sslrootcert') ?? env.PGSSLROOTCERT;
  const cert = params.get('sslcert') ?? env.PGSSLCERT;
  const key = params.get('sslkey') ?? env.PGSSLKEY;
  if ((cert === undefined) !== (key === undefined)) {
    throw new PgmyError('usage', 'A client certificate needs both sslcert and sslkey (or PGSSLCERT and PGSSLKEY); only one was given.');
  }
  return { mode: mode as PgSslMode, ...(rootCert ? { rootCert } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
}

/**
 * The TLS options node-postgres is given. require encrypts without checking the certificate unless a root
 * certificate is named, in which case it checks it as verify-ca does (libpq's rule); verify-ca checks the
 * chain but not the host name; verify-full checks both. Without sslrootcert the system's CAs are used
 * (libpq would look for ~/.postgresql/root.crt); `sslrootcert=system` says so explicitly.
 */
export async function pgSslOptions(s: PgSslSettings): Promise<ConnectionOptions | undefined> {
  if (s.mode === 'disable' || s.mode === 'allow' || s.mode === 'prefer') return undefined;
  const rootCert = s.rootCert === undefined || s.rootCert === 'system' ? undefined : s.rootCert;
  const verify = s.mode !== 'require' || rootCert !== undefined;
  return {
    rejectUnauthorized: verify,
    ...(verify && s.mode !== 'verify-full' ? { checkServerIdentity: () => undefined } : {}),
    ...(rootCert !== undefined ? { ca: await readPem(rootCert, 'sslrootcert', 'the certificate authority that signed the server\'s certificate') } : {}),
    ...(s.cert !== undefined ? { cert: await readPem(s.cert, 'sslcert', 'the client certificate') } : {}),
    ...(s.key !== undefined ? { key: await readPem(s.key, 'sslkey', 'the client certificate\'s private key') } : {}),
  };
}

/** Reads a PEM file named by a connection option; a missing or unreadable file is the user's to fix. */
export async function readPem(path: string, option: string, what: string): Promise<string> {
  return readFile(path, 'utf8').catch((cause: NodeJS.ErrnoException) => {
    throw new PgmyError('unreadable-file', `The file ${path} (${option}) cannot be read: ${cause.code ?? cause.message}.`, {
      hint: `Give the path of the PEM file of ${what}.`, cause,
    });
  });
}

/**
 * What to do when a connection failed because of TLS, judged by the driver's code and the server's words;
 * undefined when the failure is not about TLS. `side` says which URL options to name.
 */
export function tlsHint(code: string | undefined, message: string, side: 'source' | 'target'): string | undefined {
  const [ca, verifyNoHost, noVerify] = side === 'source'
    ? ['sslrootcert=/path/ca.pem', 'sslmode=verify-ca checks the chain but not the host name', 'sslmode=require encrypts without checking']
    : ['ssl-ca=/path/ca.pem', undefined, 'ssl-mode=required encrypts without checking'];
  // node's own codes; mysql2 wraps them all as HANDSHAKE_SSL_ERROR and keeps node's words.
  const certificate = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/.test(code ?? '') ||
    (/HANDSHAKE_SSL_ERROR/.test(code ?? '') && /certificate|altnames/i.test(message));
  if (certificate) {
    const hostName = /ALTNAME/.test(code ?? '') || /altnames/.test(message);
    return `The server's certificate was not accepted. Name the certificate authority that signed it with ${ca}` +
      `${verifyNoHost && hostName ? `; if it was issued for another host name than the URL's, ${verifyNoHost}` : ''}` +
      `; ${noVerify}.`;
  }
  if (side === 'source' && /no encryption/.test(message)) {
    return `This server accepts only TLS connections from here: add ?sslmode=verify-full&${ca} to --source (or PGSSLMODE/PGSSLROOTCERT).`;
  }
  if (side === 'source' && /requires a valid client certificate|certificate authentication failed/.test(message)) {
    return 'This user logs in with a client certificate: add sslcert=/path/client.pem&sslkey=/path/client.key to --source (or PGSSLCERT/PGSSLKEY); its CN must be the user name.';
  }
  if (/does not support SSL|doesn't support SSL|Server does not support secure connection/i.test(message)) {
    return `The server has TLS switched off: remove the TLS options from the ${side === 'source' ? 'source' : 'target'} URL, or enable TLS on the server.`;
  }
  return undefined;
}
