import type { Socket } from 'node:net';
import type pg from 'pg';
import { PgmyError, messageOf } from '../../errors.js';
import { describeTarget, type ConnectionTarget } from '../../connection/url.js';

/** The parts of node-postgres' client the watchdog reads: its socket, its backend, the query in flight. */
interface ClientInternals {
  readonly connection: { readonly stream: Socket };
  readonly processID: number | null;
  readonly activeQuery?: unknown;
}

type Verdict = { readonly busy: true } | { readonly busy: false; readonly why: string };

/** Opens a new connection to the same server, as the watched one was opened, within `ms`. */
export type PgOpener = (ms: number) => Promise<pg.Client>;

/**
 * As target/mysql/watchdog.ts, for PostgreSQL: while a query or COPY is in flight and no byte has moved for
 * `seconds`, the backend is looked at from a new connection (pg_stat_activity): one still working is waited
 * for; a path no new connection gets through, a backend gone, idle, or waiting on the client's socket ends
 * the connection with a `stalled` error.
 */
export function watchPg(client: pg.Client, target: ConnectionTarget, seconds: number, open: PgOpener): void {
  if (!(seconds > 0)) return;
  const c = client as unknown as ClientInternals;
  const socket = c.connection.stream;
  const moved = (): number => socket.bytesRead + socket.bytesWritten;
  let last = moved();
  let since = Date.now();
  let probing = false;
  const tick = async (): Promise<void> => {
    const now = moved();
    if (c.activeQuery === undefined || c.activeQuery === null || now !== last) {
      last = now;
      since = Date.now();
      return;
    }
    if (probing || Date.now() - since < seconds * 1000) return;
    probing = true;
    const verdict = await probeBackend(open, c.processID, seconds).catch((err: unknown): Verdict => ({ busy: false, why: messageOf(err) }));
    probing = false;
    if (moved() !== last) return;
    if (verdict.busy) {
      since = Date.now();
      return;
    }
    socket.destroy(new PgmyError('stalled', `No progress for ${seconds} s on the connection to PostgreSQL at ${describeTarget(target)}: ${verdict.why}.`, {
      hint: `A network path or proxy stopped forwarding. Run the same command again: it resumes. --stall-timeout sets the wait (${seconds} s).`,
    }));
  };
  const timer = setInterval(() => { void tick(); }, Math.min(5000, Math.max(200, seconds * 250)));
  timer.unref();
  socket.once('close', () => clearInterval(timer));
}

/** Interrupted: the query in flight is cancelled on the server too (pg_cancel_backend from a new connection). */
export function cancelPgOnAbort(client: pg.Client, signal: AbortSignal, open: PgOpener): void {
  const c = client as unknown as ClientInternals;
  const cancel = (): void => {
    if (c.activeQuery === undefined || c.activeQuery === null) return;
    void open(5000).then(async (side) => {
      await side.query('SELECT pg_cancel_backend($1)', [c.processID]).catch(() => undefined);
      await side.end().catch(() => undefined);
    }, () => undefined);
  };
  if (signal.aborted) return;
  signal.addEventListener('abort', cancel, { once: true });
  c.connection.stream.once('close', () => signal.removeEventListener('abort', cancel));
}

async function probeBackend(open: PgOpener, pid: number | null, seconds: number): Promise<Verdict> {
  const ms = Math.min(seconds, 30) * 1000;
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`a new connection got no answer within ${ms / 1000} s either`)), ms).unref());
  let side: pg.Client | undefined;
  try {
    const opening = open(ms);
    // A connection that arrives after the timeout is closed as soon as it does.
    opening.then((late) => { if (side === undefined) void late.end().catch(() => undefined); }, () => undefined);
    side = await Promise.race([opening, timeout]);
    const r = await Promise.race([side.query<{ state: string | null; wait: string | null }>('SELECT state, wait_event_type AS wait FROM pg_stat_activity WHERE pid = $1', [pid]), timeout]);
    const row = r.rows[0];
    if (!row) return { busy: false, why: 'the server no longer has this session' };
    if (row.state === 'idle') return { busy: false, why: 'the server finished the query, but its answer never arrived' };
    if (row.wait === 'Client') return { busy: false, why: 'the server is waiting on the network for this session' };
    return { busy: true };
  } catch (err) {
    return { busy: false, why: `a new connection could not get through either (${messageOf(err)})` };
  } finally {
    void side?.end().catch(() => undefined);
  }
}
