import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import pg from 'pg';
import { to } from 'pg-copy-streams';
import { copyTo } from '../../src/source/postgres/copy-to.js';
import { scratchPg } from '../helpers/servers.js';

/** The bytes a COPY stream gives (their sha256 and count), its row count, and the session's next answer. */
async function run(url: string, make: (sql: string) => ReturnType<typeof to>, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const notices: string[] = [];
  client.on('notice', (n) => notices.push(n.message ?? ''));
  try {
    const hash = createHash('sha256');
    let bytes = 0;
    let reads = 0;
    let failure: string | undefined;
    const stream = client.query(make(sql));
    try {
      for await (const b of stream as AsyncIterable<Buffer>) {
        hash.update(b);
        bytes += b.length;
        reads++;
      }
    } catch (err) {
      failure = (err as Error).message;
    }
    const next = (await client.query<{ x: number }>('SELECT 42 AS x')).rows[0]?.x;
    return { sha: hash.digest('hex'), bytes, reads, rowCount: stream.rowCount, failure, next, notices: notices.length };
  } finally {
    await client.end();
  }
}

describe("pgmy's COPY TO parser", () => {
  it('gives the bytes, row count and errors pg-copy-streams gives, and leaves the session usable', async () => {
    const src = await scratchPg('copyto');
    try {
      await src.query(`CREATE TABLE t AS SELECT i AS id, md5(i::text) AS h, E'tab\\there' AS s, repeat('x', i % 5000) AS pad FROM generate_series(1, 50000) i;
        CREATE FUNCTION noisy(i int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN IF i % 1000 = 0 THEN RAISE NOTICE 'row %', i; END IF; RETURN i; END $$;`);
      const cases = [
        'COPY t TO STDOUT',
        // A value of 10 MB: one message far longer than a socket read.
        "COPY (SELECT i, repeat(md5(i::text), 320000) FROM generate_series(1, 3) i) TO STDOUT",
        'COPY (SELECT 1 WHERE false) TO STDOUT',
        // NoticeResponse messages between the rows.
        'COPY (SELECT noisy(i), i FROM generate_series(1, 20000) i) TO STDOUT',
        // An error after rows have been sent.
        'COPY (SELECT i, 1 / (i - 40000) FROM generate_series(1, 50000) i) TO STDOUT',
      ];
      for (const sql of cases) {
        const theirs = await run(src.url, to, sql);
        const ours = await run(src.url, copyTo, sql);
        // After an error, how many bytes came first depends on the socket's reads: the error itself must match.
        const same = (r: typeof ours) => (r.failure ? { failure: r.failure, rowCount: r.rowCount, next: r.next } : { ...r, reads: undefined });
        assert.deepEqual(same(ours), same(theirs), sql);
        assert.equal(ours.next, 42, 'the session answers the next query');
      }
      const failed = await run(src.url, copyTo, cases[4] as string);
      assert.match(failed.failure ?? '', /division by zero/);
      assert.ok(failed.bytes > 0, 'rows came before the error');
      // Notices during the COPY are passed over, as pg-copy-streams does, and the rows around them all arrive.
      assert.equal((await run(src.url, copyTo, cases[3] as string)).rowCount, 20000);
    } finally {
      await src.drop();
    }
  });
});
