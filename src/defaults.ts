import { availableParallelism } from 'node:os';

/**
 * Every default pgmy applies, in one place: the library falls back to these when an option is absent, and
 * the CLI's help shows them from here.
 */
export const DEFAULTS = {
  /** Bytes of TSV per chunk file (64 MiB: 16 and 256 MiB measured no better, see bench:load). */
  chunkSize: 64 * 1024 * 1024,
  /** The schema read when none is named. */
  schemas: ['public'] as readonly string[],
  /** Values MySQL cannot hold stop the migration before any data moves. */
  onUnrepresentable: 'error',
  /** A key on unbounded text or bytea gets a VARCHAR(n)/VARBINARY(n) sized from the data. */
  textKeys: 'varchar',
  /** Which server schema.sql and post-data.sql are written for (load renders its own). */
  targetFlavor: 'mysql',
  /** LOAD DATA LOCAL INFILE, the fast way. */
  method: 'infile',
  /** Differences verify lists per table (all are counted). */
  maxDiffs: 10,
  /**
   * Seconds a server connection may make no progress, with a statement in flight, before pgmy checks the
   * session over a new connection and gives up when the path is dead (a long ALTER on a live path is waited for).
   */
  stallSeconds: 300,
  /** Seconds a PostgreSQL connection may take to start (connect_timeout in the URL overrides it). */
  connectSeconds: 60,
  /** Seconds a loader's claim on a chunk lasts unrenewed (renewed every third of it while the loader lives). */
  claimLeaseSeconds: 60,
} as const;

/** Parallel sessions when --jobs is not given: one per core. */
export function defaultJobs(): number {
  return availableParallelism();
}

/** The schemas to read: those named, else the default. */
export function schemasOrDefault(schemas: readonly string[] | undefined): string[] {
  return schemas && schemas.length > 0 ? [...schemas] : [...DEFAULTS.schemas];
}
