import { spawn } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { privatePort, run, systemUserIds, waitUntilUp, type PrivateServer } from './private-server.js';

export type { PrivateServer } from './private-server.js';

/**
 * A MariaDB server of this test's own, on its own port and data folder, for settings a shared server must
 * not change under other tests (local_infile off). Needs mariadb-install-db and root (to run as mysql).
 */
export async function privateMariadb(args: readonly string[]): Promise<PrivateServer | string> {
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
  const child = spawn('mariadbd', ['--no-defaults', `--datadir=${dir}/data`, `--port=${port}`, '--bind-address=127.0.0.1', `--socket=${dir}/sock`,
    `--pid-file=${dir}/pid`, '--user=mysql', '--innodb-buffer-pool-size=32M', ...args], { stdio: 'ignore', detached: false });
  const up = await waitUntilUp(async () => {
    const conn = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root' }).catch(() => undefined);
    await conn?.end();
    return conn !== undefined;
  });
  if (!up) {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    return 'the private MariaDB did not start';
  }
  return {
    url: `mysql://root@127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
