import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cli, MY_BASE, PG_BASE, scratchMy, scratchPg, type ScratchMy, type ScratchPg } from '../helpers/servers.js';

const SITE = new URL('../../../test/fixtures/django-site/', import.meta.url).pathname;
const PYTHON = '/usr/bin/python3';
const MODELS = ['auth.user', 'auth.group', 'auth.permission', 'contenttypes.contenttype', 'sessions.session', 'shop.tag', 'shop.product', 'shop.purchase', 'shop.note'];

function django(engine: 'postgresql' | 'mysql', db: string, args: string[]): Promise<string> {
  const base = engine === 'postgresql' ? new URL(PG_BASE) : new URL(MY_BASE);
  const env = {
    ...process.env, PGMY_DJANGO_ENGINE: engine, PGMY_DJANGO_NAME: db, PGMY_DJANGO_HOST: base.hostname,
    PGMY_DJANGO_PORT: base.port || (engine === 'postgresql' ? '5432' : '3306'), PGMY_DJANGO_USER: decodeURIComponent(base.username),
    PGMY_DJANGO_PASSWORD: decodeURIComponent(base.password),
  };
  return new Promise((resolve, reject) => execFile(PYTHON, args, { cwd: SITE, env, maxBuffer: 64 << 20 }, (err, out, stderr) =>
    err ? reject(new Error(`python3 ${args.join(' ')} (${engine}): ${stderr || err.message}`)) : resolve(out)));
}

async function djangoMissing(): Promise<string | undefined> {
  return new Promise((resolve) => execFile(PYTHON, ['-c', 'import django, psycopg2, MySQLdb'], (err) =>
    resolve(err ? 'Django with its PostgreSQL and MySQL drivers is not installed for /usr/bin/python3 (scripts/test-deps.sh installs them)' : undefined)));
}

/**
 * The test site on PostgreSQL (migrated and filled by Django itself) and an empty target, made before the
 * tests of a describe and dropped after them; `missing` says why they are skipped.
 */
function djangoSite(prefix: string) {
  const site = { missing: undefined as string | undefined, src: undefined as unknown as ScratchPg, dst: undefined as unknown as ScratchMy, tmp: '' };
  before(async () => {
    site.missing = await djangoMissing();
    if (site.missing) return;
    site.src = await scratchPg(prefix);
    site.dst = await scratchMy(prefix);
    await site.dst.query('SELECT 1');
    site.tmp = await mkdtemp(join(tmpdir(), `pgmy-${prefix}-`));
    await django('postgresql', site.src.name, ['manage.py', 'migrate', '-v', '0']);
    await django('postgresql', site.src.name, ['fill.py']);
  });
  after(async () => {
    await site.src?.drop();
    await site.dst?.drop();
    if (site.tmp) await rm(site.tmp, { recursive: true, force: true });
  });
  return site;
}

describe('a real Django site moved with --data-only', () => {
  const site = djangoSite('django');
  // Django makes the MySQL schema itself.
  before(async () => { if (!site.missing) await django('mysql', site.dst.name, ['manage.py', 'migrate', '-v', '0']); });

  it('Django reads the same objects from both databases, every model', async (t) => {
    const { missing, src, dst, tmp } = site;
    if (missing) return t.skip(missing);
    const out = join(tmp, 'snap');
    assert.equal((await cli('dump', '--source', src.url, '--out', out, '--quiet')).code, 0);
    const refused = await cli('load', '--data-only', '--target', dst.url, out);
    assert.equal(refused.code, 1, 'tables migrate pre-filled are refused without --truncate');
    const l = await cli('load', '--data-only', '--truncate', '--target', dst.url, out, '--quiet');
    assert.equal(l.code, 0, l.err);
    const v = await cli('verify', '--data-only', '--source', src.url, '--target', dst.url, out);
    assert.equal(v.code, 0, v.out);
    for (const model of MODELS) {
      const a = await django('postgresql', src.name, ['manage.py', 'dumpdata', model, '--indent', '1']);
      const b = await django('mysql', dst.name, ['manage.py', 'dumpdata', model, '--indent', '1']);
      assert.ok(JSON.parse(a).length > 0, `${model} has objects`);
      assert.equal(b, a, `dumpdata ${model}`);
    }
  });

  it('the application can create a new object of every model on MariaDB, with ids after the source\'s', async (t) => {
    const { missing, dst } = site;
    if (missing) return t.skip(missing);
    const out = await django('mysql', dst.name, ['create_all.py']);
    const [, user, product] = /ids (\d+) (\d+)/.exec(out) ?? [];
    assert.equal(Number(user), 21);
    assert.equal(Number(product), 41);
  });
});

describe('a real Django site moved in full mode with --conventions django (issue 15)', () => {
  const site = djangoSite('djfull');

  it('plan recommends the data-only path; with --conventions django Django reads every model from pgmy\'s own tables', async (t) => {
    const { missing, src, dst, tmp } = site;
    if (missing) return t.skip(missing);
    const advice = await cli('plan', '--source', src.url);
    assert.match(advice.out, /this is a Django database \(django_migrations\).*--conventions django/);
    const m = await cli('migrate', '--source', src.url, '--target', dst.url, '--out', join(tmp, 'snap'), '--conventions', 'django', '--quiet');
    assert.equal(m.code, 0, m.err + m.out);
    // Without the dump folder verify maps the source again, with the conventions the target's journal records.
    const v = await cli('verify', '--source', src.url, '--target', dst.url);
    assert.equal(v.code, 0, v.out + v.err);
    const [uid] = await dst.query<{ t: string }>("SELECT COLUMN_TYPE AS t FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'shop_product' AND COLUMN_NAME = 'uid'");
    assert.equal(uid?.t, 'char(32)');
    for (const model of MODELS) {
      const a = await django('postgresql', src.name, ['manage.py', 'dumpdata', model, '--indent', '1']);
      const b = await django('mysql', dst.name, ['manage.py', 'dumpdata', model, '--indent', '1']);
      assert.ok(JSON.parse(a).length > 0, `${model} has objects`);
      assert.equal(b, a, `dumpdata ${model}`);
    }
    const out = await django('mysql', dst.name, ['create_all.py']);
    assert.match(out, /^ids 21 41 /m, 'new objects get ids after the source\'s');
  });
});

