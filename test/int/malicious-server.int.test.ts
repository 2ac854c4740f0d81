import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connectMy, myTarget } from '../../src/target/mysql/connect.js';
import { PgmyError } from '../../src/errors.js';
import { loadChunk } from '../../src/load/load-chunk.js';
import type { TargetTable } from '../../src/model/target.js';
import { evilMysql } from '../helpers/evil-mysql.js';

describe('a malicious MySQL server asking for other files', () => {
  let tmp: string;
  const secret = 'secret: do not send\n';

  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'pgmy-evil-'));
    await mkdir(join(tmp, 'data', 't'), { recursive: true });
    await writeFile(join(tmp, 'data', 't', '000001.tsv'), '1\n');
    await writeFile(join(tmp, 'secret.txt'), secret);
  });
  after(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  const table: TargetTable = {
    sourceSchema: 'public', sourceName: 't', name: 't', tableIndexes: [], indexes: [], foreignKeys: [],
    columns: [{ name: 'id', sqlType: 'INT', textual: false, nullable: false, autoIncrement: false, sourceType: 'integer', rule: { kind: 'integer', transform: 'native', flags: [] }, selectExpr: '"id"', load: 'direct', maxBytes: 4, indexable: 'yes' }],
  };
  const chunk = { file: 'data/t/000001.tsv', rows: 1, bytes: 2, sha256: createHash('sha256').update('1\n').digest('hex') };

  it('during LOAD DATA: pgmy refuses to send anything but the chunk it is loading', async () => {
    const evil = await evilMysql(join(tmp, 'secret.txt'), /^LOAD DATA/);
    try {
      const conn = await connectMy(myTarget(`mysql://root@127.0.0.1:${evil.port}/x`));
      try {
        const err = await loadChunk(conn, tmp, '00000000-0000-0000-0000-000000000000', { table, chunk }).then(() => undefined, (e: unknown) => e);
        assert.ok(err instanceof PgmyError, String(err));
        assert.match(err.message, /asked for the file ".*secret\.txt" while pgmy was loading .*000001\.tsv; pgmy refused to send it/);
      } finally {
        await conn.end().catch(() => undefined);
      }
      assert.equal(evil.requestsMade(), 1);
      assert.equal(evil.fileBytesReceived(), 0, 'not one byte of the file was sent');
    } finally {
      await evil.close();
    }
  });

  it('during any other statement: nothing is sent either', async () => {
    const evil = await evilMysql(join(tmp, 'secret.txt'), /^SET NAMES/);
    try {
      await assert.rejects(connectMy(myTarget(`mysql://root@127.0.0.1:${evil.port}/x`)));
      assert.equal(evil.requestsMade(), 1);
      assert.equal(evil.fileBytesReceived(), 0);
    } finally {
      await evil.close();
    }
  });
});
