import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { migrate } from '../../src/migrate/migrate.js';
import { plan } from '../../src/plan/run-plan.js';
import { verify } from '../../src/verify/verify.js';
import { attempt, scratchMy, scratchPg } from '../helpers/servers.js';

const SCHEMA = new URL('../../../test/fixtures/adventureworks/schema.sql', import.meta.url).pathname;

describe('an AdventureWorks-shaped schema: three schemas, domains, checks, keys across schemas (issue 15)', () => {
  it('plan says ready, migrate and verify agree, and the target refuses what PostgreSQL refuses', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'pgmy-aw-'));
    const src = await scratchPg('aw', [SCHEMA]);
    const my = await scratchMy('aw');
    const options = {
      source: src.url, target: my.url, schemas: ['person', 'production', 'sales'],
      schemaMap: new Map([['person', ''], ['production', ''], ['sales', '']]),
    };
    try {
      const p = await plan(options);
      assert.equal(p.blocked, false, JSON.stringify(p.plan.target.notices.filter((n) => n.level === 'error')));
      const warned = p.plan.target.notices.filter((n) => n.level === 'warning').map((n) => n.object ?? n.message);
      assert.ok(warned.includes('ck_person_persontype'), 'the upper(...) IN check is listed as not carried');
      assert.ok(warned.includes('sales.vsalesorders'), 'the view is listed');
      await migrate({ ...options, out: join(tmp, 'snap') });
      // schema.sql is written for the server migrate loads into, so that it also runs by hand there.
      const script = await readFile(join(tmp, 'snap', 'schema.sql'), 'utf8');
      assert.match(script, /written for MariaDB 10\.6\+/);
      const byHand = await scratchMy('awhand');
      try {
        await byHand.query(script);
        const [n] = await byHand.query<{ n: number }>('SELECT count(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()');
        assert.equal(Number(n?.n), 7);
      } finally {
        await byHand.drop();
      }
      const v = await verify(options);
      assert.equal(v.match, true, JSON.stringify(v.tables.filter((t) => !t.match)));
      assert.equal(v.tables.length, 7);
      // Checks (BETWEEN arrives as >= AND <=), a domain's NOT NULL, keys, foreign keys across schemas, CASCADE.
      assert.equal(await attempt(my, "INSERT INTO person (businessentityid, persontype, firstname, lastname, emailpromotion) VALUES (1, 'EM', 'a', 'b', 3)"), 'CHECK');
      assert.equal(await attempt(my, "INSERT INTO salesorderheader (customerid, status) VALUES (1, 9)"), 'CHECK');
      assert.equal(await attempt(my, "INSERT INTO product (name, productnumber, safetystocklevel, standardcost, listprice, sellstartdate, makeflag) VALUES ('X', 'PN-X', 1, 1, 1, NOW(), NULL)"), 'ER_BAD_NULL_ERROR');
      assert.equal(await attempt(my, "INSERT INTO product (name, productnumber, safetystocklevel, standardcost, listprice, sellstartdate) VALUES ('Product 1', 'PN-X', 1, 1, 1, NOW())"), 'ER_DUP_ENTRY');
      assert.equal(await attempt(my, "INSERT INTO product (name, productnumber, safetystocklevel, standardcost, listprice, sellstartdate, sellenddate) VALUES ('Y', 'PN-Y', 1, 1, 1, '2020-01-02', '2020-01-01')"), 'CHECK');
      assert.match(await attempt(my, "INSERT INTO personphone (businessentityid, phonenumber, phonenumbertypeid) VALUES (999, '1', 1)"), /ER_NO_REFERENCED_ROW/);
      await my.query('DELETE FROM salesorderheader WHERE salesorderid = 1');
      const [left] = await my.query<{ n: number }>('SELECT count(*) AS n FROM salesorderdetail WHERE salesorderid = 1');
      assert.equal(Number(left?.n), 0, 'ON DELETE CASCADE');
      // Defaults and AUTO_INCREMENT after the sequence: a new business entity is number 31, with a fresh rowguid.
      await my.query('INSERT INTO businessentity () VALUES ()');
      const [be] = await my.query<{ id: number; g: string; d: Date | null }>('SELECT businessentityid AS id, rowguid AS g, modifieddate AS d FROM businessentity ORDER BY businessentityid DESC LIMIT 1');
      assert.equal(Number(be?.id), 31);
      assert.match(be?.g ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'uuid_generate_v1() is UUID(), a version 1 uuid');
      assert.ok(be?.d, 'now() default');
      const [cost] = await my.query<{ t: string }>("SELECT COLUMN_TYPE AS t FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'product' AND COLUMN_NAME = 'standardcost'");
      assert.equal(cost?.t, 'decimal(3,1)', 'numeric without precision sized from the data (g * 1.5 up to 18.0)');
    } finally {
      await my.drop();
      await src.drop();
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
