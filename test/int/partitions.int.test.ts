import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from '../../src/migrate/migrate.js';
import { verify } from '../../src/verify/verify.js';
import { cli, scratchMy, scratchPg } from '../helpers/servers.js';

describe('partitioned tables (issue 15)', () => {
  it('a never-analysed table is counted, not "about 0 rows"; a partitioned table counts its leaves once', async () => {
    const src = await scratchPg('planrows');
    try {
      await src.query(`CREATE TABLE fresh (id int PRIMARY KEY);
        INSERT INTO fresh SELECT generate_series(1, 37);
        CREATE TABLE parted (id int, at date) PARTITION BY RANGE (at);
        CREATE TABLE parted_a PARTITION OF parted FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
        CREATE TABLE parted_b PARTITION OF parted FOR VALUES FROM ('2021-01-01') TO ('2022-01-01');
        INSERT INTO parted SELECT g, DATE '2020-01-01' + g FROM generate_series(1, 500) g;
        ANALYZE parted;`);
      const r = await cli('plan', '--source', src.url);
      assert.equal(r.code, 0, r.out);
      assert.match(r.out, /^public\.fresh → fresh {2}\(37 rows,/m);
      assert.match(r.out, /^public\.parted → parted {2}\(500 rows,/m, 'scanned (a date column): counted');
      const j = await cli('plan', '--source', src.url, '--json');
      const tables = (JSON.parse(j.out) as { tables: Array<{ source: string; estimatedRows: number; rowsCounted: boolean }> }).tables;
      assert.deepEqual(tables.find((t) => t.source === 'public.fresh'), { ...tables.find((t) => t.source === 'public.fresh'), estimatedRows: 37, rowsCounted: true });
      // Without the scan there is no figure for a table never analysed: said so.
      const quick = await cli('plan', '--source', src.url, '--skip-scan');
      assert.match(quick.out, /^public\.fresh → fresh {2}\(rows unknown: never analysed,/m);
      // ANALYZE of a partitioned table counts the tree into the parent too: the leaves alone are the estimate.
      assert.match(quick.out, /^public\.parted → parted {2}\(about 500 rows,/m);
    } finally {
      await src.drop();
    }
  });

  it('foreign keys, checks and indexes every partition declares are the table\'s; one some partitions lack is listed', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'pgmy-parts-'));
    const src = await scratchPg('partown');
    const my = await scratchMy('partown');
    try {
      await src.query(`CREATE TABLE customer (id int PRIMARY KEY);
        INSERT INTO customer VALUES (1), (2);
        CREATE TABLE pay (id int, customer_id int, amount numeric(6,2), at date) PARTITION BY RANGE (at);
        CREATE TABLE pay_a PARTITION OF pay FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
        CREATE TABLE pay_b PARTITION OF pay FOR VALUES FROM ('2021-01-01') TO ('2022-01-01');
        ALTER TABLE pay_a ADD CONSTRAINT pay_a_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customer (id);
        ALTER TABLE pay_b ADD CONSTRAINT pay_b_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customer (id);
        ALTER TABLE pay_a ADD CONSTRAINT pay_a_amount_check CHECK (amount >= 0);
        ALTER TABLE pay_b ADD CONSTRAINT pay_b_amount_check CHECK (amount >= 0);
        ALTER TABLE pay_a ADD CONSTRAINT pay_a_id_check CHECK (id > 0);
        CREATE INDEX pay_a_customer_idx ON pay_a (customer_id); CREATE INDEX pay_b_customer_idx ON pay_b (customer_id);
        INSERT INTO pay VALUES (1, 1, 5, '2020-05-01'), (2, 2, 6, '2021-05-01'), (-3, 2, 7, '2021-06-01');`);
      const p = await cli('plan', '--source', src.url);
      assert.equal(p.code, 0, p.out);
      assert.match(p.out, /foreign key pay_customer_id_fkey \(customer_id\) → customer \(id\)/);
      assert.match(p.out, /check pay_id_check CHECK \(\(id > 0\)\) is declared on 1 of the 2 partitions: not carried/);
      await migrate({ source: src.url, target: my.url, out: join(tmp, 'snap') });
      assert.equal((await verify({ source: src.url, target: my.url })).match, true);
      await assert.rejects(my.query("INSERT INTO pay VALUES (4, 99, 1, '2020-02-02')"), /foreign key constraint fails/);
      await assert.rejects(my.query("INSERT INTO pay VALUES (5, 1, -1, '2020-02-02')"), /CONSTRAINT|check/i);
      assert.equal((await my.query('SELECT id FROM pay WHERE id = -3')).length, 1, 'the row only one partition\'s check would refuse is there');
      const ix = await my.query<{ n: string }>("SELECT INDEX_NAME AS n FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'pay' AND COLUMN_NAME = 'customer_id'");
      assert.ok(ix.some((r) => r.n === 'pay_customer_idx'), JSON.stringify(ix));
    } finally {
      await my.drop();
      await src.drop();
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
