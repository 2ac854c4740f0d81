import type { MyConnection } from './connect.js';
import { ER, errnoOf } from './error-codes.js';
import { quoteMy } from './quote.js';

/**
 * Chunk claims of loaders sharing one dump and one target, kept in the target beside the journal: a loader
 * claims a chunk for a lease it renews while it works, and holds a named lock of its own for as long as it
 * lives. A claim is void once its lease has run out or its loader's lock is free (the server frees it the
 * moment that loader's session ends: a loader killed -9 loses its chunks at once, not after the lease). The
 * journal stays the truth of what is loaded: a claim only spreads the work.
 */
export const CLAIMS_TABLE = '_pgmy_claims';

export async function ensureClaims(conn: MyConnection): Promise<void> {
  await conn.query(`CREATE TABLE IF NOT EXISTS ${quoteMy(CLAIMS_TABLE)} (
    dump_id CHAR(36) CHARACTER SET ascii NOT NULL,
    item VARCHAR(700) NOT NULL,
    owner CHAR(36) CHARACTER SET ascii NOT NULL,
    lease_until DATETIME(6) NOT NULL,
    PRIMARY KEY (dump_id, item)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
}

/**
 * Claims a chunk for `owner` in one statement when nobody has (the common case), else in a second: false
 * when another loader's claim on it still holds. A chunk another loader has loaded stays claimed by it while
 * it lives; after that the journal row written first in the chunk's transaction finds it done.
 */
export async function claimChunk(conn: MyConnection, dumpId: string, item: string, owner: string, leaseSeconds: number, retried = false): Promise<boolean> {
  try {
    const [inserted] = await conn.query(`INSERT IGNORE INTO ${quoteMy(CLAIMS_TABLE)} (dump_id, item, owner, lease_until) VALUES (?, ?, ?, NOW(6) + INTERVAL ? SECOND)`, [dumpId, item, owner, leaseSeconds]);
    if ((inserted as { affectedRows: number }).affectedRows === 1) return true;
    const [taken] = await conn.query(
      `UPDATE ${quoteMy(CLAIMS_TABLE)} SET owner = ?, lease_until = NOW(6) + INTERVAL ? SECOND
       WHERE dump_id = ? AND item = ? AND (owner = ? OR lease_until <= NOW(6) OR IS_USED_LOCK(CONCAT('pgmy-owner:', owner)) IS NULL)`,
      [owner, leaseSeconds, dumpId, item, owner]);
    return (taken as { affectedRows: number }).affectedRows === 1;
  } catch (err) {
    // A loader of other tables of the dump (--tables) finished and dropped the claims: make them again.
    if (errnoOf(err) === ER.NO_SUCH_TABLE && !retried) {
      await ensureClaims(conn);
      return claimChunk(conn, dumpId, item, owner, leaseSeconds, true);
    }
    throw err;
  }
}

/** Takes the loader's own lock (see above) on the session that makes its claims. */
export async function holdOwnerLock(conn: MyConnection, owner: string): Promise<void> {
  await namedLock(conn, `pgmy-owner:${owner}`, 10);
}

/** Extends every lease `owner` holds on this dump's chunks (none once a finished load dropped the table). */
export async function renewClaims(conn: MyConnection, dumpId: string, owner: string, leaseSeconds: number): Promise<void> {
  await conn.query(`UPDATE ${quoteMy(CLAIMS_TABLE)} SET lease_until = NOW(6) + INTERVAL ? SECOND WHERE dump_id = ? AND owner = ?`, [leaseSeconds, dumpId, owner]).catch((err: unknown) => {
    if (errnoOf(err) !== ER.NO_SUCH_TABLE) throw err;
  });
}

/**
 * Drops the claims once every chunk is journaled (the post-data lock held), so that the target keeps no table
 * of pgmy's but the journal. A loader still claiming makes the table again (see claimChunk), and the journal
 * row written first in a chunk's transaction finds each chunk it takes done.
 */
export async function dropClaims(conn: MyConnection): Promise<void> {
  await conn.query(`DROP TABLE IF EXISTS ${quoteMy(CLAIMS_TABLE)}`);
}

/** A session-level named lock on the target database (held until released or the session ends). */
export async function lockDatabase(conn: MyConnection, database: string, purpose: 'setup' | 'post-data'): Promise<() => Promise<void>> {
  // Lock names are at most 64 characters on MySQL 8.
  return namedLock(conn, `pgmy-${purpose}:${database}`.slice(0, 64), 86400);
}

/** GET_LOCK, waiting up to `seconds`; gives the function that releases it. */
async function namedLock(conn: MyConnection, name: string, seconds: number): Promise<() => Promise<void>> {
  const [rows] = await conn.query('SELECT GET_LOCK(?, ?) AS got', [name, seconds]);
  if (Number((rows as Array<{ got: number | null }>)[0]?.got) !== 1) throw new Error(`could not take the lock ${name}`);
  return async () => {
    await conn.query('SELECT RELEASE_LOCK(?)', [name]);
  };
}
