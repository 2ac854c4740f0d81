import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectMy, myTarget, type MyConnection } from '../../src/target/mysql/connect.js';
import { rehearseSchema } from '../../src/target/mysql/rehearse.js';
import { scratchMy, type ScratchMy } from '../helpers/servers.js';

/**
 * A rehearsal killed with its process (or cut off from the server) never dropped its scratch databases; the
 * next rehearsal on that server drops them, and only them: one whose session still holds its lock is in use.
 */
describe('scratch databases a killed rehearsal left are dropped by the next one', () => {
  let my: ScratchMy;
  let holder: MyConnection;
  const names = async (): Promise<string[]> => (await my.query<{ n: string }>(
    "SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '\\_pgmy\\_rehearsal\\_cleanup%' ORDER BY 1")).map((r) => r.n);
  before(async () => {
    my = await scratchMy('rehearse');
    await my.query('SELECT 1');
    holder = await connectMy(myTarget(my.url));
  });
  after(async () => {
    for (const n of await names().catch(() => [])) await my.query(`DROP DATABASE IF EXISTS \`${n}\``);
    await holder?.end();
    await my?.drop();
  });

  it('an abandoned one goes, one in use stays, and the rehearsal drops its own', async () => {
    await my.query('CREATE DATABASE `_pgmy_rehearsal_cleanupgone_0`; CREATE DATABASE `_pgmy_rehearsal_cleanupgone_1`');
    await holder.query("SELECT GET_LOCK('pgmy-rehearsal:cleanupbusy', 0)");
    await my.query('CREATE DATABASE `_pgmy_rehearsal_cleanupbusy_0`');
    const conn = await connectMy(myTarget(my.url));
    try {
      const r = await rehearseSchema(conn, { tables: [], notices: [] }, 'mariadb', 'cleanupmine');
      assert.deepEqual(r, { ran: true, refused: [] });
    } finally {
      await conn.end();
    }
    assert.deepEqual(await names(), ['_pgmy_rehearsal_cleanupbusy_0']);
    // Its session gone, its lock is free: the next rehearsal drops it too.
    await holder.query("SELECT RELEASE_LOCK('pgmy-rehearsal:cleanupbusy')");
    const again = await connectMy(myTarget(my.url));
    try {
      await rehearseSchema(again, { tables: [], notices: [] }, 'mariadb', 'cleanupmine2');
    } finally {
      await again.end();
    }
    assert.deepEqual(await names(), []);
  });
});
