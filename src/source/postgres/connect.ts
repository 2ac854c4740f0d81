import pg from 'pg';
import { PgmyError, messageOf, serverCodeOf, serverDetailsOf } from '../../errors.js';
import { pgSslOptions, pgSslSettings, tlsHint } from '../../connection/tls.js';
import { describeTarget, type ConnectionTarget } from '../../connection/url.js';
import { resolvePg } from '../../connection/pg-resolve.js';
import { pgpassPassword } from '../../connection/pgpass.js';
import { watchedPg } from './watchdog.js';
import { cancelOnAbort, watchStalls } from '../../connection/stall-watch.js';
import { DEFAULTS } from '../../defaults.js';

export type PgClient = pg.Client;

/**
 * Session settings that make COPY's text output independent of the server's and the role's configuration:
 * the same value is always written the same way.
 */
export const PG_SESSION_SETTINGS: ReadonlyArray<readonly [string, string]> = [
  ['TimeZone', 'UTC'],
  ['DateStyle', 'ISO, YMD'],
  ['IntervalStyle', 'iso_8601'],
  ['extra_float_digits', '3'],
  ['bytea_output', 'hex'],
  ['client_encoding', 'UTF8'],
  ['standard_conforming_strings', 'on'],
  // Not about the text, about speed: JIT-compiling the COPY's and the scan's expressions costs more than it
  // saves on a one-pass read (see the commit that added it for the figures).
  ['jit', 'off'],
  // lc_monetary is left as the database has it: it says how many decimals a money value has.
];

export function pgTarget(url: string, password?: string): ConnectionTarget {
  return resolvePg(url, password);
}

/** How a session is watched, and whether it may use PostgreSQL's parallel workers. */
export interface PgSessionOptions {
  readonly stallSeconds?: number;
  readonly signal?: AbortSignal;
  /**
   * No parallel workers (max_parallel_workers_per_gather = 0): for the dump's sessions, which are pgmy's own
   * parallelism. The planner took the value checks in a COPY's WHERE for a filter keeping 0.5 % of the rows
   * and gave each COPY two workers, whose rows all crossed to it again: PostgreSQL spent 5.1 CPU seconds on a
   * 1.5 M-row dump against 3.0 for one raw COPY.
   */
  readonly noParallelWorkers?: boolean;
}

/** Opens a PostgreSQL connection with pgmy's session settings, turning driver errors into clear ones. */
export async function connectPg(target: ConnectionTarget, applicationName = 'pgmy', o: PgSessionOptions = {}): Promise<PgClient> {
  const ssl = await pgSslOptions(pgSslSettings(target.params));
  const config: pg.ClientConfig = {
    host: target.host,
    port: target.port,
    user: target.user,
    database: target.database,
    // No password anywhere: ~/.pgpass (or passfile / PGPASSFILE) is read as libpq reads it, only when the server asks.
    // (node-postgres takes an undefined answer as no password; its type says string.)
    password: target.password ?? (pgpassPassword.bind(undefined, target) as () => Promise<string>),
    // libpq waits for ever by default; pgmy never does: a server that does not finish the start-up is an error.
    connectionTimeoutMillis: 1000 * (target.params.get('connect_timeout') ? Number(target.params.get('connect_timeout')) : DEFAULTS.connectSeconds),
    application_name: applicationName,
    ...(ssl !== undefined ? { ssl } : {}),
  };
  const client = new pg.Client(config);
  refuseSelfConnect(client, target);
  // An idle client whose server goes away emits 'error'; the failing query reports it, so do not crash here.
  client.on('error', () => undefined);
  try {
    await client.connect();
    const settings = [...PG_SESSION_SETTINGS, ...(o.noParallelWorkers ? [['max_parallel_workers_per_gather', '0'] as const] : [])];
    const sets = settings.map(([k, v]) => `SET ${k} = '${v}'`).join('; ');
    await client.query(sets);
    const open = async (ms: number): Promise<pg.Client> => {
      const side = new pg.Client({ ...config, application_name: `${applicationName} (watchdog)`, connectionTimeoutMillis: ms });
      side.on('error', () => undefined);
      await side.connect();
      return side;
    };
    const watched = watchedPg(client, target, open);
    watchStalls(watched, o.stallSeconds ?? DEFAULTS.stallSeconds);
    if (o.signal) cancelOnAbort(watched, o.signal);
  } catch (err) {
    await client.end().catch(() => undefined);
    throw pgConnectError(err, target);
  }
  return client;
}

/**
 * Ends a session without waiting for its server process to exit. node-postgres's end() sends Terminate,
 * closes the socket's sending side and resolves once the server has closed its side, which PostgreSQL does
 * as its backend exits: 8-11 ms after the Terminate here, on the path of every command's end. Here the
 * socket is destroyed once Terminate and the close of the sending side are handed to the kernel: the server
 * reads the Terminate, then the end of the stream, as from any client that says goodbye.
 */
export async function closePg(client: PgClient): Promise<void> {
  const socket = (client as unknown as { connection?: { stream?: import('node:net').Socket } }).connection?.stream;
  const ended = client.end();
  socket?.once?.('finish', () => socket.destroy());
  await ended;
}

/**
 * A client that connects to a port nothing listens on, over and over (a server restarting), can be given
 * that very port as its own and connect to itself (TCP simultaneous open): it would then wait for ever for
 * a server that is itself. Such a socket is closed at once, as if refused.
 */
export function refuseSelfConnect(client: pg.Client, target: Pick<ConnectionTarget, 'host' | 'port'>): void {
  const socket = (client as unknown as { connection?: { stream?: import('node:net').Socket } }).connection?.stream;
  socket?.once?.('connect', () => {
    if (socket.remotePort !== undefined && socket.localPort === socket.remotePort && socket.localAddress === socket.remoteAddress) {
      socket.destroy(Object.assign(new Error(`connect ECONNREFUSED ${target.host}:${target.port} (nothing listens there: the socket connected to itself)`), { code: 'ECONNREFUSED' }));
    }
  });
}

function pgConnectError(err: unknown, target: ConnectionTarget): PgmyError {
  const code = typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : serverCodeOf(err);
  const where = `PostgreSQL at ${describeTarget(target)}`;
  const tls = tlsHint(code, messageOf(err), 'source');
  if (code === '28P01' || code === '28000') {
    return new PgmyError('auth', `${where} refused the login: ${messageOf(err)}.`, {
      hint: tls ?? 'Check the user name and password (PGPASSWORD, or the URL) and pg_hba.conf.', server: serverDetailsOf(err), cause: err,
    });
  }
  if (/password must be a string/.test(messageOf(err))) {
    return new PgmyError('auth', `${where} asks for a password and none was given.`, {
      hint: 'Put it in ~/.pgpass (host:port:database:user:password, mode 0600) or PGPASSWORD, or use --password-prompt.', cause: err,
    });
  }
  if (code === '3D000') {
    return new PgmyError('no-database', `${where}: database "${target.database}" does not exist.`, {
      hint: 'Check the database name in --source.', server: serverDetailsOf(err), cause: err,
    });
  }
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || code === 'EHOSTUNREACH') {
    return new PgmyError('connect', `Cannot reach ${where} (${code}).`, {
      hint: 'Is PostgreSQL running and listening on that host and port? (scripts/services.sh starts the local one.)',
      server: serverDetailsOf(err), cause: err,
    });
  }
  return new PgmyError('connect', `Cannot connect to ${where}: ${messageOf(err)}`, { server: serverDetailsOf(err), cause: err, ...(tls ? { hint: tls } : {}) });
}

/** Wraps an error raised by a PostgreSQL query, keeping SQLSTATE and naming what it concerns. */
export function pgQueryError(err: unknown, what: string, details: { table?: string; chunk?: string } = {}): PgmyError {
  if (err instanceof PgmyError) return err;
  const code = serverCodeOf(err);
  const e = err as { detail?: string; hint?: string };
  // Terminated by an administrator, or the socket gone: the error takes several shapes depending on timing.
  const lost = ['57P01', '57P02', '57P03', 'ECONNRESET', 'EPIPE'].includes(code ?? '') ||
    /Connection terminated|terminating connection|ended by the other party|not queryable|ECONNRESET|EPIPE/i.test(messageOf(err));
  const hint = code === '42501'
    ? 'The source user lacks a privilege: grant it SELECT on the tables (and USAGE on their schemas).'
    : lost ? 'The PostgreSQL session was terminated or lost. Run the same command again: complete tables are kept, the rest is redone.'
    : e.hint;
  return new PgmyError(code === '42501' ? 'privilege' : 'server', `PostgreSQL failed while ${what}: ${messageOf(err)}${e.detail ? ` (${e.detail})` : ''}`, {
    ...details, server: serverDetailsOf(err), cause: err, ...(hint ? { hint } : {}),
  });
}
