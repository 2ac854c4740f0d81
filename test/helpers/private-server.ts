import { execFile, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/** A server of a test's own, on its own port and data folder. */
export interface PrivateServer {
  readonly url: string;
  stop(): Promise<void>;
}

/** The uid and gid of a system user (mysql, postgres), for files its server must own. */
export async function systemUserIds(name: string): Promise<[number, number]> {
  const passwd = await readFile('/etc/passwd', 'utf8');
  const line = passwd.split('\n').find((l) => l.startsWith(`${name}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) throw new Error(`no ${name} user`);
  return [Number(uid), Number(gid)];
}

export function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => execFile(cmd, args, (err, _o, stderr) => (err ? reject(new Error(`${cmd}: ${stderr || err.message}`)) : resolve())));
}

/**
 * A port for a private server: random in a range the shared servers do not use, and below Linux's ephemeral
 * ports (32768 and up): a client connecting again and again to a stopped server on an ephemeral port can be
 * given that same port as its own and connect to itself (TCP simultaneous open).
 */
export function privatePort(): number {
  return 20000 + Math.floor(Math.random() * 12000);
}

/** Polls until the server answers (connect resolves true) or 20 s have passed. */
export async function waitUntilUp(connect: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 80; i++) {
    if (await connect()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/** Sends a running server `signal` and waits until it has exited; nothing when it is not running. */
export async function signalAndWait(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await gone;
}
