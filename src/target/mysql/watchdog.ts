import type { Socket } from 'node:net';
import mysql from 'mysql2/promise';
import { PgmyError, messageOf } from '../../errors.js';
import { describeTarget, type ConnectionTarget } from '../../connection/url.js';

/** The parts of mysql2's connection the watchdog reads: its socket, its server thread, the command in flight. */
interface CoreConnection {
  readonly stream: Socket;
  readonly threadId: number;
  readonly _command?: unknown;
}

/** Opens a new connection to the same server, as the watched one was opened, within `ms`. */
export type Opener = (ms: number) => Promise<mysql.Connection>;

type Verdict = { readonly busy: true } | { readonly busy: false; readonly why: string };

/**
 * A connection whose packets stop while the socket stays open (a dead NAT, a frozen proxy) would wait for
 * ever. While a statement is in flight and no byte has moved for `seconds`, the watchdog looks at the
 * session from a new connection: a statement the server is still working on (a long ALTER) is waited for;
 * a path that lets no new connection through, a session the server no longer has or has finished, or one
 * stuck on the network, ends the connection with a `stalled` error that says so. The re-run resumes.
 */
export function watchConnection(conn: mysql.Connection, target: ConnectionTarget, seconds: number, open: Opener): void {
  if (!(seconds > 0)) return;
  const core = (conn as unknown as { connection: CoreConnection }).connection;
  const socket = core.stream;
  const moved = (): number => socket.bytesRead + socket.bytesWritten;
  let last = moved();
  let since = Date.now();
  let probing = false;
  const tick = async (): Promise<void> => {
    const now = moved();
    if (core._command === undefined || core._command === null || now !== last) {
      last = now;
      since = Date.now();
      return;
    }
    if (probing || Date.now() - since < seconds * 1000) return;
    probing = true;
    const verdict = await probeSession(open, core.threadId, seconds).catch((err: unknown): Verdict => ({ busy: false, why: messageOf(err) }));
    probing = false;
    if (moved() !== last) return;
    if (verdict.busy) {
      since = Date.now();
      return;
    }
    socket.destroy(new PgmyError('stalled', `No progress for ${seconds} s on the connection to MySQL at ${describeTarget(target)}: ${verdict.why}.`, {
      hint: `A network path or proxy stopped forwarding. Run the same command again: what was committed is kept, the rest is redone. --stall-timeout sets the wait (${seconds} s).`,
    }));
  };
  const timer = setInterval(() => { void tick(); }, Math.min(5000, Math.max(200, seconds * 250)));
  timer.unref();
  socket.once('close', () => clearInterval(timer));
}

/**
 * Interrupted (Ctrl-C, SIGTERM): the statement in flight is stopped on the server too (KILL QUERY from a new
 * connection), so that no ALTER or LOAD DATA pgmy started goes on running after it; InnoDB rolls it back.
 */
export function cancelOnAbort(conn: mysql.Connection, signal: AbortSignal, open: Opener): void {
  const core = (conn as unknown as { connection: CoreConnection }).connection;
  const cancel = (): void => {
    if (core._command === undefined || core._command === null) return;
    void open(5000).then(async (side) => {
      side.on('error', () => undefined);
      await side.query(`KILL QUERY ${Number(core.threadId)}`).catch(() => undefined);
      side.destroy();
    }, () => undefined);
  };
  if (signal.aborted) return;
  signal.addEventListener('abort', cancel, { once: true });
  core.stream.once('close', () => signal.removeEventListener('abort', cancel));
}

/** Looks at session `threadId` from a new connection, which must get through within the stall timeout itself. */
async function probeSession(open: Opener, threadId: number, seconds: number): Promise<Verdict> {
  const ms = Math.min(seconds, 30) * 1000;
  let side: mysql.Connection | undefined;
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`a new connection got no answer within ${ms / 1000} s either`)), ms).unref());
  try {
    side = await Promise.race([open(ms), timeout]);
    side.on('error', () => undefined);
    const [rows] = await Promise.race([side.query('SELECT COMMAND AS c, STATE AS s FROM information_schema.PROCESSLIST WHERE ID = ?', [threadId]), timeout]);
    const row = (rows as Array<{ c: string; s: string | null }>)[0];
    if (!row) return { busy: false, why: 'the server no longer has this session' };
    if (row.c === 'Sleep') return { busy: false, why: 'the server finished the statement, but its answer never arrived' };
    if (/net/i.test(row.s ?? '')) return { busy: false, why: `the server is waiting on the network for this session (${row.s ?? ''})` };
    return { busy: true };
  } catch (err) {
    return { busy: false, why: `a new connection could not get through either (${messageOf(err)})` };
  } finally {
    side?.destroy();
  }
}
