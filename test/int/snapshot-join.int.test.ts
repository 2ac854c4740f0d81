import assert from 'node:assert/strict';
import { it } from 'node:test';
import pg from 'pg';
import { closePg, connectPg, pgTarget, type PgClient } from '../../src/source/postgres/connect.js';
import { beginSnapshot, exportSnapshot, joinSnapshotSessions } from '../../src/source/postgres/snapshot.js';
import { PG_BASE, scratchName, scratchPg } from '../helpers/servers.js';

it('joins sessions to a snapshot side by side; when one cannot join, those that did are handed over to be closed', async () => {
  const src = await scratchPg('snapjoin');
  // A role that may hold three connections: the exporting session and two of the three that try to join.
  const role = scratchName('joiner');
  const sessions: PgClient[] = [];
  try {
    await src.query(`CREATE ROLE ${role} LOGIN CONNECTION LIMIT 3; CREATE TABLE t (id int); INSERT INTO t VALUES (1); GRANT SELECT ON t TO ${role}`);
    const url = new URL(src.url);
    url.username = role;
    const target = pgTarget(url.toString());
    const main = await connectPg(target, 'pgmy join test');
    sessions.push(main);
    await beginSnapshot(main);
    const id = await exportSnapshot(main);
    await src.query('INSERT INTO t VALUES (2)');

    const joined: PgClient[] = [];
    await joinSnapshotSessions(target, id, 2, 'pgmy join test', {}, joined);
    assert.equal(joined.length, 2);
    for (const s of joined) assert.equal((await s.query<{ n: string }>('SELECT count(*) AS n FROM t')).rows[0]?.n, '1', 'each session reads the snapshot');
    sessions.push(...joined);

    const more: PgClient[] = [];
    await assert.rejects(joinSnapshotSessions(target, id, 1, 'pgmy join test', {}, more), /too many connections/i);
    assert.equal(more.length, 0);
    await closePg(joined.pop() as PgClient);
    sessions.pop();
    // Room for one of the three: two fail, the one that joined is handed over all the same.
    const partly: PgClient[] = [];
    await assert.rejects(joinSnapshotSessions(target, id, 3, 'pgmy join test', {}, partly), /too many connections/i);
    assert.equal(partly.length, 1, 'the session that joined is given to its owner to close');
    sessions.push(...partly);
  } finally {
    await Promise.all(sessions.map((s) => closePg(s).catch(() => undefined)));
    await src.drop();
    // Roles belong to the whole server: dropped once the database (and the role's grant in it) is gone.
    const admin = new pg.Client({ connectionString: `${PG_BASE}/postgres` });
    await admin.connect();
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
  }
});
