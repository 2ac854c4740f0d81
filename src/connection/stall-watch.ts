import type { Socket } from 'node:net';
import { messageOf, type PgmyError } from '../errors.js';

/** What a look at a watched session from a new connection found. */
export type Verdict = { readonly busy: true } | { readonly busy: false; readonly why: string };

/** A server connection as the watchdog and the interrupt see it; `S` is the driver's connection. */
export interface Watched<S> {
  readonly socket: Socket;
  /** Whether a statement is in flight, waiting on the server. */
  inFlight(): boolean;
  /** A new connection to the same server, opened as the watched one was, within `ms`; and its end. */
  open(ms: number): Promise<S>;
  close(side: S): void;
  /** What the server says of the watched session, asked over `side` (PROCESSLIST, pg_stat_activity). */
  look(side: S): Promise<Verdict>;
  /** Stops the watched session's statement on the server, over `side` (KILL QUERY, pg_cancel_backend). */
  cancel(side: S): Promise<void>;
  /** The error the connection ends with when it stalled: `why` is the look's verdict. */
  stalled(why: string, seconds: number): PgmyError;
}

/**
 * A connection whose packets stop while the socket stays open (a dead NAT, a frozen proxy) would wait for
 * ever. While a statement is in flight and no byte has moved for `seconds`, the session is looked at from a
 * new connection: one the server is still working on (a long ALTER) is waited for; a path no new connection
 * gets through, a session the server no longer has or has finished, or one stuck on the network, ends the
 * connection with the `stalled` error. The re-run resumes.
 */
export function watchStalls<S>(w: Watched<S>, seconds: number): void {
  if (!(seconds > 0)) return;
  const moved = (): number => w.socket.bytesRead + w.socket.bytesWritten;
  let last = moved();
  let since = Date.now();
  let probing = false;
  const tick = async (): Promise<void> => {
    const now = moved();
    if (!w.inFlight() || now !== last) {
      last = now;
      since = Date.now();
      return;
    }
    if (probing || Date.now() - since < seconds * 1000) return;
    probing = true;
    const verdict = await probe(w, seconds);
    probing = false;
    if (moved() !== last) return;
    if (verdict.busy) {
      since = Date.now();
      return;
    }
    w.socket.destroy(w.stalled(verdict.why, seconds));
  };
  const timer = setInterval(() => { void tick(); }, Math.min(5000, Math.max(200, seconds * 250)));
  timer.unref();
  w.socket.once('close', () => clearInterval(timer));
}

/**
 * Interrupted (Ctrl-C, SIGTERM): the statement in flight is stopped on the server too, from a new
 * connection, so that nothing pgmy started goes on running after it.
 */
export function cancelOnAbort<S>(w: Watched<S>, signal: AbortSignal): void {
  const cancel = (): void => {
    if (!w.inFlight()) return;
    void w.open(5000).then(async (side) => {
      await w.cancel(side).catch(() => undefined);
      w.close(side);
    }, () => undefined);
  };
  if (signal.aborted) return;
  signal.addEventListener('abort', cancel, { once: true });
  w.socket.once('close', () => signal.removeEventListener('abort', cancel));
}

/** Looks at the session from a new connection, which must get through within the stall timeout itself. */
async function probe<S>(w: Watched<S>, seconds: number): Promise<Verdict> {
  const ms = Math.min(seconds, 30) * 1000;
  let timedOut = false;
  const timeout = new Promise<never>((_, reject) => setTimeout(() => {
    timedOut = true;
    reject(new Error(`a new connection got no answer within ${ms / 1000} s either`));
  }, ms).unref());
  let side: S | undefined;
  try {
    const opening = w.open(ms);
    // A connection that arrives after the timeout is closed as soon as it does (one in time is closed below).
    opening.then((late) => { if (timedOut && side === undefined) w.close(late); }, () => undefined);
    side = await Promise.race([opening, timeout]);
    return await Promise.race([w.look(side), timeout]);
  } catch (err) {
    return { busy: false, why: `a new connection could not get through either (${messageOf(err)})` };
  } finally {
    if (side !== undefined) w.close(side);
  }
}
