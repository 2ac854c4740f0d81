import mysql from 'mysql2/promise';
import { PgmyError, messageOf, serverCodeOf, serverDetailsOf } from '../../errors.js';
import type { ServerFlavor } from '../../model/target.js';
import { ER, errnoOf } from './error-codes.js';
import { readPem, tlsHint } from '../../connection/tls.js';
import { describeTarget, type ConnectionTarget } from '../../connection/url.js';
import { resolveMy } from '../../connection/my-resolve.js';
import { watchedMy } from './watchdog.js';
import { cancelOnAbort, watchStalls } from '../../connection/stall-watch.js';
import { DEFAULTS } from '../../defaults.js';

export type MyConnection = mysql.Connection;

export interface ServerInfo {
  readonly flavor: ServerFlavor;
  readonly version: string;
  readonly localInfile: boolean;
}

/**
 * The load session: strict (a bad value is an error, not a silent change), zero stays zero in AUTO_INCREMENT
 * columns, times in UTC, checks that the post-data steps make again switched off while the data goes in.
 */
export const LOAD_SQL_MODE = 'STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION,ERROR_FOR_DIVISION_BY_ZERO,NO_ZERO_DATE,NO_ZERO_IN_DATE';

export function myTarget(url: string, password?: string): ConnectionTarget {
  return resolveMy(url, password);
}

/** Connects without choosing a database, so that the target database can be created when missing. */
export async function connectMy(target: ConnectionTarget, database?: string, o: { readonly stallSeconds?: number; readonly signal?: AbortSignal } = {}): Promise<MyConnection> {
  const caPath = target.params.get('ssl-ca') ?? target.params.get('sslca');
  const sslMode = target.params.get('ssl-mode') ?? target.params.get('sslmode');
  // ssl-ca names a file, as for the mysql client; the driver wants the certificate itself.
  const ca = caPath === undefined ? undefined : await readPem(caPath, 'ssl-ca in the target URL', 'the certificate authority that signed the server\'s certificate');
  try {
    const options: mysql.ConnectionOptions = {
      ...(target.socket ? { socketPath: target.socket } : { host: target.host, port: target.port }), user: target.user,
      ...(target.password !== undefined ? { password: target.password } : {}),
      ...(database !== undefined ? { database } : {}),
      charset: 'utf8mb4_general_ci',
      supportBigNumbers: true, bigNumberStrings: true, dateStrings: true, decimalNumbers: false,
      // JSON as the server's text: parsed, numbers past 2^53 would be rounded (MariaDB's JSON too: mysql2 reads its format).
      jsonStrings: true,
      ...(ca ? { ssl: { ca } } : sslMode && /^(require|required|verify)/i.test(sslMode) ? { ssl: { rejectUnauthorized: /verify/i.test(sslMode) } } : {}),
    };
    const conn = await mysql.createConnection(options);
    conn.on('error', () => undefined);
    const { database: _db, ...server } = options;
    const open = (ms: number): Promise<mysql.Connection> => mysql.createConnection({ ...server, connectTimeout: ms });
    const watched = watchedMy(conn, target, open);
    watchStalls(watched, o.stallSeconds ?? DEFAULTS.stallSeconds);
    if (o.signal) cancelOnAbort(watched, o.signal);
    await conn.query(`SET NAMES utf8mb4, time_zone = '+00:00', sql_mode = '${LOAD_SQL_MODE}'`);
    return conn;
  } catch (err) {
    throw myConnectError(err, target);
  }
}

export async function serverInfo(conn: MyConnection): Promise<ServerInfo> {
  const [rows] = await conn.query('SELECT VERSION() AS v, @@GLOBAL.local_infile AS li');
  const row = (rows as Array<{ v: string; li: string | number }>)[0];
  const version = row?.v ?? '';
  return { flavor: /mariadb/i.test(version) ? 'mariadb' : 'mysql', version, localInfile: Number(row?.li) === 1 };
}

function myConnectError(err: unknown, target: ConnectionTarget): PgmyError {
  const code = serverCodeOf(err);
  const errno = errnoOf(err);
  const where = `MySQL at ${describeTarget(target)}`;
  if (errno === ER.ACCESS_DENIED_ERROR || errno === ER.ACCESS_DENIED_NO_PASSWORD_ERROR) {
    return new PgmyError('auth', `${where} refused the login: ${messageOf(err)}`, {
      hint: 'Check the user and password (MYSQL_PWD, or the URL).', server: serverDetailsOf(err), cause: err,
    });
  }
  if (errno === ER.DBACCESS_DENIED_ERROR || errno === ER.BAD_DB_ERROR) {
    return new PgmyError(errno === ER.BAD_DB_ERROR ? 'no-database' : 'privilege', `${where}: ${messageOf(err)}`, { server: serverDetailsOf(err), cause: err });
  }
  if (/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH/.test(code ?? '')) {
    return new PgmyError('connect', `Cannot reach ${where} (${code}).`, {
      hint: 'Is MySQL/MariaDB running and listening on that host and port? (scripts/services.sh starts the local one.)',
      server: serverDetailsOf(err), cause: err,
    });
  }
  const tls = tlsHint(code, messageOf(err), 'target');
  return new PgmyError('connect', `Cannot connect to ${where}: ${messageOf(err)}`, { server: serverDetailsOf(err), cause: err, ...(tls ? { hint: tls } : {}) });
}

/** Wraps an error raised by a MySQL statement, keeping errno/SQLSTATE and naming what it concerns. */
export function myQueryError(err: unknown, what: string, details: { table?: string; chunk?: string } = {}): PgmyError {
  if (err instanceof PgmyError) return err;
  const errno = errnoOf(err);
  if (errno === ER.NOT_ALLOWED_COMMAND || errno === ER.CLIENT_LOCAL_FILES_DISABLED || errno === ER.CR_LOAD_DATA_LOCAL_INFILE_REJECTED) {
    return new PgmyError('local-infile-disabled', `MySQL refused LOAD DATA LOCAL INFILE while ${what}: ${messageOf(err)}`, {
      ...details, server: serverDetailsOf(err), cause: err,
      hint: 'Enable it on the server with SET GLOBAL local_infile = 1 (or local_infile=1 in my.cnf), or load with --method insert.',
    });
  }
  const code0 = (err as { code?: string }).code;
  if (errno === ER.CONNECTION_KILLED || errno === ER.CR_SERVER_LOST || errno === ER.SERVER_SHUTDOWN || code0 === 'PROTOCOL_CONNECTION_LOST' || code0 === 'ECONNRESET' || code0 === 'EPIPE') {
    return new PgmyError('server', `The connection to MySQL was lost while ${what}: ${messageOf(err)}`, {
      ...details, server: serverDetailsOf(err), cause: err,
      hint: 'The server killed the session or went away. Run the same command again: what was committed is kept, the rest is redone.',
    });
  }
  if (errno === ER.ERROR_DURING_COMMIT) {
    return new PgmyError('load-mismatch', `MySQL refused to commit while ${what}: ${messageOf(err)}; nothing of it was kept.`, {
      ...details, server: serverDetailsOf(err), cause: err,
      hint: 'With unique_checks off MariaDB reports a duplicate key this way: look for values a unique key of the target treats as equal (case or trailing spaces under its collation).',
    });
  }
  const privilege = errno === ER.TABLEACCESS_DENIED_ERROR || errno === ER.DBACCESS_DENIED_ERROR || errno === ER.SPECIFIC_ACCESS_DENIED_ERROR;
  return new PgmyError(privilege ? 'privilege' : 'server', `MySQL failed while ${what}: ${messageOf(err)}`, {
    ...details, server: serverDetailsOf(err), cause: err,
    ...(privilege ? { hint: 'Grant the target user SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX, REFERENCES on the target database (UPDATE for the journal, DELETE and DROP for resuming and --truncate).' } : {}),
  });
}
