import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cli, scratchPg } from '../helpers/servers.js';

describe('plan\'s row figures (issue 15)', () => {
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
});
