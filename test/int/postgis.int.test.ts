import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { migrate } from '../../src/migrate/migrate.js';
import { plan } from '../../src/plan/run-plan.js';
import { verify } from '../../src/verify/verify.js';
import { scratchMy, scratchPg } from '../helpers/servers.js';

const SCHEMA = new URL('../../../test/fixtures/postgis/schema.sql', import.meta.url).pathname;

describe('a PostGIS application (issue 15)', () => {
  it("the extension's own table and view are left out; geometry travels as its text form, equal on both sides", async (t) => {
    const probe = await scratchPg('gisprobe');
    const available = (await probe.query<{ n: string }>("SELECT count(*) AS n FROM pg_available_extensions WHERE name = 'postgis'")).rows[0]?.n === '1';
    await probe.drop();
    if (!available) return t.skip('PostGIS is not installed for this PostgreSQL (scripts/test-deps.sh installs postgresql-15-postgis-3)');
    const tmp = await mkdtemp(join(tmpdir(), 'pgmy-gis-'));
    const src = await scratchPg('postgis', [SCHEMA]);
    const my = await scratchMy('postgis');
    try {
      const p = await plan({ source: src.url, target: my.url });
      assert.equal(p.blocked, false, JSON.stringify(p.plan.target.notices.filter((n) => n.level === 'error')));
      assert.deepEqual(p.plan.target.tables.map((x) => x.name).sort(), ['checkins', 'places'], 'spatial_ref_sys is the extension\'s');
      assert.ok(p.plan.catalog.otherObjects.some((o) => o.kind === 'extension table' && /spatial_ref_sys/.test(o.name)));
      assert.ok(!p.plan.catalog.otherObjects.some((o) => o.kind === 'view' && o.name === 'geometry_columns'), "the extension's views are not the user's");
      const warned = p.plan.target.notices.filter((n) => n.level === 'warning');
      assert.ok(warned.some((n) => n.object === 'places_geom_idx' && /gist/.test(n.message)), 'the GiST index is listed as not carried');
      assert.ok(warned.some((n) => n.column === 'geom'), 'the geometry column says it is carried as text');
      await migrate({ source: src.url, target: my.url, out: join(tmp, 'snap') });
      const v = await verify({ source: src.url, target: my.url });
      assert.equal(v.match, true, JSON.stringify(v.tables.filter((x) => !x.match)));
      const [pg] = (await src.query<{ g: string }>('SELECT geom::text AS g FROM places WHERE id = 1')).rows;
      const [m] = await my.query<{ g: string }>('SELECT geom AS g FROM places WHERE id = 1');
      assert.equal(m?.g, pg?.g, 'the EWKB text, byte for byte');
      // The keys around the spatial columns behave: lower(name) unique, CHECK, CASCADE.
      await assert.rejects(my.query("INSERT INTO places (name, kind, geom) VALUES ('berlin', 'city', 'x')"), /Duplicate entry/);
      await assert.rejects(my.query("INSERT INTO places (name, kind, geom) VALUES ('Mitte', 'town', 'x')"), /CONSTRAINT|check/i);
      await my.query('DELETE FROM places WHERE id = 1');
      const [left] = await my.query<{ n: number }>('SELECT count(*) AS n FROM checkins WHERE place_id = 1');
      assert.equal(Number(left?.n), 0);
    } finally {
      await my.drop();
      await src.drop();
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
