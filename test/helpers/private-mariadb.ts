import { spawn, type ChildProcess } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { privatePort, run, signalAndWait, systemUserIds, waitUntilUp, type PrivateServer } from './private-server.js';

export type { PrivateServer } from './private-server.js';

/**
 * A MariaDB server of this test's own, on its own port and data folder, for settings a shared server must
 * not change under other tests (local_infile off), or that a test kills -9. Needs mariadb-install-db and root (to run as mysql).
 */
/** A private server the test may also kill -9 and start again. */
export interface PrivateMariadb extends PrivateServer {
  kill9(): Promise<void>;
  start(): Promise<void>;
}

export async function privateMariadb(args: readonly string[] = []): Promise<PrivateMariadb | string> {
  if (process.getuid?.() !== 0) return 'needs root to start a private MariaDB as the mysql user';
  const dir = await mkdtemp(join(tmpdir(), 'pgmy-mariadb-'));
  const port = privatePort();
  try {
    await chown(dir, ...(await systemUserIds('mysql')));
    await run('mariadb-install-db', ['--no-defaults', `--datadir=${dir}/data`, '--user=mysql', '--auth-root-authentication-method=normal', '--skip-test-db']);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    return `cannot create a private MariaDB: ${(err as Error).message}`;
  }
  let child: ChildProcess | undefined;
  const launch = async (): Promise<boolean> => {
    child = spawn('mariadbd', ['--no-defaults', `--datadir=${dir}/data`, `--port=${port}`, '--bind-address=127.0.0.1', `--socket=${dir}/sock`,
      `--pid-file=${dir}/pid`, '--user=mysql', '--innodb-buffer-pool-size=32M', ...args], { stdio: 'ignore', detached: false });
    return waitUntilUp(async () => {
      const conn = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root' }).catch(() => undefined);
      await conn?.end();
      return conn !== undefined;
    });
  };
  const kill9 = (): Promise<void> => signalAndWait(child, 'SIGKILL');
  if (!(await launch())) {
    await kill9();
    await rm(dir, { recursive: true, force: true });
    return 'the private MariaDB did not start';
  }
  return {
    url: `mysql://root@127.0.0.1:${port}`,
    kill9,
    // After a kill -9: InnoDB's crash recovery runs as after a real crash.
    start: async () => {
      if (!(await launch())) throw new Error('the private MariaDB did not start again');
    },
    stop: async () => {
      await signalAndWait(child, 'SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
