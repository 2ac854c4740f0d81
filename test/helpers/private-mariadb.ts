import { spawn } from 'node:child_process';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import mysql from 'mysql2/promise';

export interface PrivateServer {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * A MariaDB server of this test's own, on its own port and data folder, for settings a shared server must
 * not change under other tests (local_infile off). Needs mariadb-install-db and root (to run as mysql).
 */
export async function privateMariadb(args: readonly string[]): Promise<PrivateServer | string> {
  if (process.getuid?.() !== 0) return 'needs root to start a private MariaDB as the mysql user';
  const dir = await mkdtemp(join(tmpdir(), 'pgmy-mariadb-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  try {
    await chown(dir, ...(await mysqlIds()));
    await run('mariadb-install-db', ['--no-defaults', `--datadir=${dir}/data`, '--user=mysql', '--auth-root-authentication-method=normal', '--skip-test-db']);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    return `cannot create a private MariaDB: ${(err as Error).message}`;
  }
  const child = spawn('mariadbd', ['--no-defaults', `--datadir=${dir}/data`, `--port=${port}`, '--bind-address=127.0.0.1', `--socket=${dir}/sock`,
    `--pid-file=${dir}/pid`, '--user=mysql', '--innodb-buffer-pool-size=32M', ...args], { stdio: 'ignore', detached: false });
  const url = `mysql://root@127.0.0.1:${port}`;
  for (let i = 0; i < 80; i++) {
    const conn = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root' }).catch(() => undefined);
    if (conn) {
      await conn.end();
      return {
        url,
        stop: async () => {
          child.kill('SIGTERM');
          await new Promise((r) => child.once('exit', r));
          await rm(dir, { recursive: true, force: true });
        },
      };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
  return 'the private MariaDB did not start';
}

async function mysqlIds(): Promise<[number, number]> {
  const passwd = await readFile('/etc/passwd', 'utf8');
  const line = passwd.split('\n').find((l) => l.startsWith('mysql:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) throw new Error('no mysql user');
  return [Number(uid), Number(gid)];
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => execFile(cmd, args, (err, _o, stderr) => (err ? reject(new Error(`${cmd}: ${stderr || err.message}`)) : resolve())));
}
