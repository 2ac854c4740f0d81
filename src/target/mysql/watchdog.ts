import type { Socket } from 'node:net';
import type mysql from 'mysql2/promise';
import { PgmyError } from '../../errors.js';
import { describeTarget, type ConnectionTarget } from '../../connection/url.js';
import type { Watched } from '../../connection/stall-watch.js';

/** The parts of mysql2's connection the watchdog reads: its socket, its server thread, the command in flight. */
interface CoreConnection {
  readonly stream: Socket;
  readonly threadId: number;
  readonly _command?: unknown;
}

/** Opens a new connection to the same server, as the watched one was opened, within `ms`. */
export type Opener = (ms: number) => Promise<mysql.Connection>;

/**
 * A MySQL connection for connection/stall-watch.ts: its session is looked at in PROCESSLIST (a command
 * still running is busy; `Sleep`, or a state on the network, is not) and stopped with KILL QUERY, after
 * which InnoDB rolls the statement back.
 */
export function watchedMy(conn: mysql.Connection, target: ConnectionTarget, open: Opener): Watched<mysql.Connection> {
  const core = (conn as unknown as { connection: CoreConnection }).connection;
  return {
    socket: core.stream,
    inFlight: () => core._command !== undefined && core._command !== null,
    open: async (ms) => {
      const side = await open(ms);
      side.on('error', () => undefined);
      return side;
    },
    close: (side) => side.destroy(),
    look: async (side) => {
      const [rows] = await side.query('SELECT COMMAND AS c, STATE AS s FROM information_schema.PROCESSLIST WHERE ID = ?', [core.threadId]);
      const row = (rows as Array<{ c: string; s: string | null }>)[0];
      if (!row) return { busy: false, why: 'the server no longer has this session' };
      if (row.c === 'Sleep') return { busy: false, why: 'the server finished the statement, but its answer never arrived' };
      if (/net/i.test(row.s ?? '')) return { busy: false, why: `the server is waiting on the network for this session (${row.s ?? ''})` };
      return { busy: true };
    },
    cancel: async (side) => { await side.query(`KILL QUERY ${Number(core.threadId)}`); },
    stalled: (why, seconds) => new PgmyError('stalled', `No progress for ${seconds} s on the connection to MySQL at ${describeTarget(target)}: ${why}.`, {
      hint: `A network path or proxy stopped forwarding. Run the same command again: what was committed is kept, the rest is redone. --stall-timeout sets the wait (${seconds} s).`,
    }),
  };
}
