import { pipeline, type Readable, type Transform } from 'node:stream';
import { copyTo } from './copy-to.js';
import type { PgClient } from './connect.js';

/**
 * Streams `COPY … TO STDOUT` through `transform` with pipeline (never .pipe()): a PostgreSQL error in the middle
 * of the COPY (a terminated backend, a lost socket) destroys the stream handed back with that error, so whoever
 * reads it (an async iterator, LOAD DATA LOCAL) fails with it instead of the process crashing on an unhandled
 * 'error' event. Backpressure reaches the server: the COPY reads its socket only while the reader keeps up.
 */
export function copyOut(client: PgClient, sql: string, transform: Transform): Readable {
  return pipeline(client.query(copyTo(sql)), transform, () => undefined);
}
