import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmod, chown, copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { privatePort, signalAndWait, systemUserIds, waitUntilUp, type PrivateServer } from './private-server.js';

export interface PrivatePostgres extends PrivateServer {
  /** Runs SQL as the superuser over the server's own socket (which pg_hba always trusts), in a database. */
  admin(sql: string, database?: string): Promise<void>;
  /** kill -9 of the postmaster, and a start after it (crash recovery). */
  kill9(): Promise<void>;
  start(): Promise<void>;
}

export interface PrivatePostgresOptions {
  /** pg_hba.conf lines, first match wins; a local trust line for the socket is added last. */
  readonly hba: readonly string[];
  /** Server settings given as -c name=value. */
  readonly settings?: Readonly<Record<string, string>>;
  /** Files copied into the data folder, owned by postgres with mode 0600 (a server key must be). */
  readonly files?: Readonly<Record<string, string>>;
}

/**
 * A PostgreSQL server of this test's own (initdb in a temporary folder, its own port), for settings the
 * shared server must not change under other tests (ssl=on, hostssl-only pg_hba). Needs root, to run as the
 * postgres user. url is a superuser URL over TCP; the test sets what pg_hba lets it do.
 */
export async function privatePostgres(opts: PrivatePostgresOptions): Promise<PrivatePostgres | string> {
  if (process.getuid?.() !== 0) return 'needs root to start a private PostgreSQL as the postgres user';
  const dir = await mkdtemp(join(tmpdir(), 'pgmy-pg-'));
  const data = join(dir, 'data');
  const port = privatePort();
  let uid: number;
  let gid: number;
  try {
    [uid, gid] = await systemUserIds('postgres');
    await chown(dir, uid, gid);
    await new Promise<void>((resolve, reject) => execFile('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8'],
      { uid, gid, cwd: dir }, (err, _o, stderr) => (err ? reject(new Error(`initdb: ${stderr || err.message}`)) : resolve())));
    await writeFile(join(data, 'pg_hba.conf'), [...opts.hba, 'local all all trust', ''].join('\n'));
    for (const [name, from] of Object.entries(opts.files ?? {})) {
      await copyFile(from, join(data, name));
      await chown(join(data, name), uid, gid);
      await chmod(join(data, name), 0o600);
    }
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    return `cannot create a private PostgreSQL: ${(err as Error).message}`;
  }
  const settings = { listen_addresses: '127.0.0.1', port: String(port), unix_socket_directories: dir, fsync: 'off', ...opts.settings };
  let child: ChildProcess | undefined;
  const admin = async (sql: string, database = 'postgres'): Promise<void> => {
    const c = new pg.Client({ host: dir, port, user: 'postgres', database });
    c.on('error', () => undefined);
    try {
      await c.connect();
      await c.query(sql);
    } finally {
      await c.end().catch(() => undefined);
    }
  };
  const launch = async (): Promise<boolean> => {
    child = spawn('postgres', ['-D', data, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])], { uid, gid, cwd: dir, stdio: 'ignore' });
    return waitUntilUp(() => admin('SELECT 1').then(() => true, () => false));
  };
  const kill9 = (): Promise<void> => signalAndWait(child, 'SIGKILL');
  const stop = async (): Promise<void> => {
    await signalAndWait(child, 'SIGINT');
    await rm(dir, { recursive: true, force: true });
  };
  if (!(await launch())) {
    await stop();
    return 'the private PostgreSQL did not start';
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}`, admin, stop, kill9,
    // After a kill -9 of the postmaster its backends notice and exit; the new postmaster waits for them (waitUntilUp retries).
    start: async () => {
      if (!(await launch())) throw new Error('the private PostgreSQL did not start again');
    },
  };
}
