import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PgmyError } from '../../src/errors.js';
import { connectPg, pgQueryError, pgTarget, type PgClient } from '../../src/source/postgres/connect.js';
import { connectMy, myQueryError, myTarget, type MyConnection } from '../../src/target/mysql/connect.js';
import { scratchMy, scratchPg, type ScratchMy, type ScratchPg } from '../helpers/servers.js';

describe('errors keep what the servers said about them', () => {
  let pgDb: ScratchPg;
  let myDb: ScratchMy;
  let pg: PgClient;
  let my: MyConnection;
  before(async () => {
    pgDb = await scratchPg('srverr');
    await pgDb.query('CREATE TABLE t (id int CONSTRAINT t_pk PRIMARY KEY, v text NOT NULL)');
    await pgDb.query('INSERT INTO t VALUES (1, $1)', ['a']);
    myDb = await scratchMy('srverr');
    await myDb.query('CREATE TABLE t (id INT PRIMARY KEY)');
    await myDb.query('INSERT INTO t VALUES (1)');
    pg = await connectPg(pgTarget(pgDb.url));
    my = await connectMy(myTarget(myDb.url), myTarget(myDb.url).database);
  });
  after(async () => {
    await pg?.end();
    await my?.end();
    await pgDb?.drop();
    await myDb?.drop();
  });

  it('PostgreSQL: SQLSTATE, detail, constraint, schema, table', async () => {
    const err = await pg.query('INSERT INTO t VALUES (1, $1)', ['b']).then(() => undefined, (e: unknown) => e);
    const wrapped = pgQueryError(err, 'inserting', { table: 'public.t' });
    assert.ok(wrapped instanceof PgmyError);
    assert.deepEqual(wrapped.server, {
      sqlState: '23505', detail: 'Key (id)=(1) already exists.', constraint: 't_pk', schema: 'public', table: 't',
    });
    assert.equal(wrapped.serverCode, '23505');
    assert.equal(wrapped.table, 'public.t');
    const nn = pgQueryError(await pg.query('INSERT INTO t VALUES (2, NULL)').then(() => undefined, (e: unknown) => e), 'inserting');
    assert.equal(nn.server?.column, 'v');
    assert.equal(nn.server?.sqlState, '23502');
  });

  it('MySQL: errno, sqlState and the error name', async () => {
    const err = await my.query('INSERT INTO t VALUES (1)').then(() => undefined, (e: unknown) => e);
    const wrapped = myQueryError(err, 'inserting', { table: 't' });
    assert.deepEqual(wrapped.server, { sqlState: '23000', errno: 1062, code: 'ER_DUP_ENTRY' });
    assert.equal(wrapped.serverCode, 'ER_DUP_ENTRY (1062)');
    assert.equal(wrapped.code, 'server');
  });

  it('a refused login keeps the server code and is an auth error', async () => {
    const err = await connectMy(myTarget(myDb.url.replace('root@', 'nosuchuser@'))).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof PgmyError);
    assert.equal(err.code, 'auth');
    assert.ok([1045, 1698].includes(err.server?.errno ?? 0), JSON.stringify(err.server));
    assert.equal(err.server?.sqlState, '28000');
  });
});
