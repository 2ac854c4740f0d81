import type { Socket } from 'node:net';
import type pg from 'pg';
import { PgmyError } from '../../errors.js';
import { describeTarget, type ConnectionTarget } from '../../connection/url.js';
import type { Watched } from '../../connection/stall-watch.js';

/** The parts of node-postgres' client the watchdog reads: its socket, its backend, the query in flight. */
interface ClientInternals {
  readonly connection: { readonly stream: Socket };
  readonly processID: number | null;
  /** The query in flight (pg 8.23+ names it so; its public `activeQuery` getter prints a deprecation warning). */
  readonly _activeQuery?: unknown;
}

/** Opens a new connection to the same server, as the watched one was opened, within `ms`. */
export type PgOpener = (ms: number) => Promise<pg.Client>;

/**
 * A PostgreSQL connection for connection/stall-watch.ts: its backend is looked at in pg_stat_activity (idle,
 * or waiting on the client's socket, is not busy) and stopped with pg_cancel_backend.
 */
export function watchedPg(client: pg.Client, target: ConnectionTarget, open: PgOpener): Watched<pg.Client> {
  const c = client as unknown as ClientInternals;
  return {
    socket: c.connection.stream,
    inFlight: () => c._activeQuery !== undefined && c._activeQuery !== null,
    open,
    close: (side) => { void side.end().catch(() => undefined); },
    look: async (side) => {
      const r = await side.query<{ state: string | null; wait: string | null }>('SELECT state, wait_event_type AS wait FROM pg_stat_activity WHERE pid = $1', [c.processID]);
      const row = r.rows[0];
      if (!row) return { busy: false, why: 'the server no longer has this session' };
      if (row.state === 'idle') return { busy: false, why: 'the server finished the query, but its answer never arrived' };
      if (row.wait === 'Client') return { busy: false, why: 'the server is waiting on the network for this session' };
      return { busy: true };
    },
    cancel: async (side) => { await side.query('SELECT pg_cancel_backend($1)', [c.processID]); },
    stalled: (why, seconds) => new PgmyError('stalled', `No progress for ${seconds} s on the connection to PostgreSQL at ${describeTarget(target)}: ${why}.`, {
      hint: `A network path or proxy stopped forwarding. Run the same command again: it resumes. --stall-timeout sets the wait (${seconds} s).`,
    }),
  };
}
