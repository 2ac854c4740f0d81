/**
 * npm run bench [-- --sizes 100000,1500000,10000000 --out bench-out --no-compression]   (the default sizes; 10 M rows take several minutes)
 *
 * Measures, on this machine and in the same run, what the stock tools achieve and what pgmy achieves for
 * the same data: raw `COPY … TO STDOUT` with psql (one session, and two over key halves) against `pgmy dump`,
 * raw `LOAD DATA LOCAL INFILE` with the mariadb client (the same chunk files, one session and two) against
 * `pgmy load`, `pgmy migrate` (overlapped and with --no-overlap) against the slower raw side, and 200
 * small tables against pg_dump. On the wide tables, each --compress codec against
 * psql COPY piped into the same program. Peak RSS of each pgmy run is read from GNU time. Writes
 * results.json and chart.svg.
 *
 * Run it in the foreground. Launched as a background job without job control (`(nohup node … &)`), Node
 * saw each child process end some 0.6 s after it had (psql's own wall time 0.25 s, Node's 0.85 s), and
 * every raw figure, each a child process, came out that much slower.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { loadDataSql } from '../src/target/mysql/load-data.js';
import { createTableSql } from '../src/target/mysql/ddl.js';
import type { Manifest } from '../src/model/dump-format/manifest.js';
import { datasets, DB, MY, PG, machine as machineLine, mariadbClient, pgmy, sh, timed, withServerCpu, type Dataset } from './bench-lib.js';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const sizes = (argv[argv.indexOf('--sizes') + 1] && argv.includes('--sizes') ? (argv[argv.indexOf('--sizes') + 1] as string) : '100000,1500000,10000000')
    .split(',').map(Number).filter((n) => n > 0);
  const out = argv.includes('--out') ? (argv[argv.indexOf('--out') + 1] as string) : 'bench-out';
  await mkdir(out, { recursive: true });

  const admin = new pg.Client({ connectionString: `${PG}/postgres` });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB])).rowCount;
  if (!exists) await admin.query(`CREATE DATABASE ${DB}`);
  await admin.end();
  const src = new pg.Client({ connectionString: `${PG}/${DB}` });
  await src.connect();
  const my = await mysql.createConnection({ uri: MY, multipleStatements: true });

  const cores = Number((await sh('nproc', [])).trim()) || 1;
  const results = [];
  for (const d of datasets(sizes)) {
    process.stderr.write(`bench: preparing ${d.table}\n`);
    // Made once and kept between runs (10 M rows take a while to generate). Vacuumed once made: the first
    // reader of new rows sets their hint bits, writing the table again, and that reader would be raw COPY.
    if ((await src.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [d.table])).rows[0]?.t === null) {
      await src.query(d.create);
      await src.query(`VACUUM (ANALYZE) ${d.table}`);
    }
    const dir = join(out, `dump-${d.table}`);
    const rawFile = join(out, `raw-${d.table}.tsv`);
    await rm(dir, { recursive: true, force: true });

    // Raw COPY: the server writing the rows to a file through psql; then two psql sessions, one per key half.
    const rawCopy = await withServerCpu(() => timed(() => sh('bash', ['-c', `psql -X -q -d "${PG}/${DB}" -c "COPY ${d.table} TO STDOUT" > "${rawFile}"`])));
    const bytes = Number((await sh('stat', ['-c', '%s', rawFile])).trim());
    await rm(rawFile, { force: true });
    const mid = (await src.query<{ m: string }>(`SELECT ((min(id) + max(id)) / 2)::text AS m FROM ${d.table}`)).rows[0]?.m ?? '0';
    const halves = [`id <= ${mid}`, `id > ${mid}`];
    const rawCopy2 = await timed(() => Promise.all(halves.map((w, i) =>
      sh('bash', ['-c', `psql -X -q -d "${PG}/${DB}" -c "COPY (SELECT * FROM ${d.table} WHERE ${w}) TO STDOUT" > "${rawFile}.${i}"`]))));
    await Promise.all(halves.map((_, i) => rm(`${rawFile}.${i}`, { force: true })));

    const dump = await withServerCpu(() => pgmy(['dump', '--source', `${PG}/${DB}`, '--out', dir, '--tables', d.table]));
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    const t = manifest.target.tables[0];
    const chunks = manifest.data[0]?.chunks ?? [];
    if (!t) throw new Error('no table in the manifest');

    // Raw LOAD DATA: one mariadb session loading the same chunk files into the same table, primary key only.
    const rawDb = `${DB}_raw`;
    await my.query(`DROP DATABASE IF EXISTS ${rawDb}; CREATE DATABASE ${rawDb} CHARACTER SET utf8mb4; USE ${rawDb}; ${createTableSql(t, 'mariadb')}`);
    // The statement pgmy sends for each chunk, run by the client: the same work without pgmy around it.
    const loads = chunks.map((c) => `${loadDataSql(t, join(dir, c.file))};`);
    const rawLoad = await timed(() => mariadbClient(rawDb, loads.join('\n')));
    // Two sessions, as pgmy load's default --jobs here: the chunks (in key order) split into two halves.
    await my.query(`DROP DATABASE IF EXISTS ${rawDb}; CREATE DATABASE ${rawDb} CHARACTER SET utf8mb4; USE ${rawDb}; ${createTableSql(t, 'mariadb')}`);
    const half = Math.ceil(loads.length / 2);
    const rawLoad2 = await withServerCpu(() => timed(() => Promise.all([loads.slice(0, half), loads.slice(half)].filter((l) => l.length > 0).map((l) => mariadbClient(rawDb, l.join('\n'))))));
    await my.query(`DROP DATABASE IF EXISTS ${rawDb}`);

    const loadDb = `${DB}_load`;
    await my.query(`DROP DATABASE IF EXISTS ${loadDb}`);
    const load = await withServerCpu(() => pgmy(['load', '--target', `${MY}/${loadDb}`, dir]));
    await my.query(`DROP DATABASE IF EXISTS ${loadDb}`);

    const migrateDir = join(out, `migrate-${d.table}`);
    const migrateRun = async (extra: string[]) => {
      await rm(migrateDir, { recursive: true, force: true });
      await my.query(`DROP DATABASE IF EXISTS ${loadDb}`);
      const m = await withServerCpu(() => pgmy(['migrate', '--source', `${PG}/${DB}`, '--tables', d.table, '--target', `${MY}/${loadDb}`, '--out', migrateDir, ...extra]));
      await my.query(`DROP DATABASE IF EXISTS ${loadDb}`);
      await rm(migrateDir, { recursive: true, force: true });
      return m;
    };
    const migrate = await migrateRun([]);
    const sequential = await migrateRun(['--no-overlap']);
    await rm(dir, { recursive: true, force: true });
    const compression = d.table.startsWith('wide_') && !argv.includes('--no-compression') ? await measureCompression(d, my, out, loadDb, rawFile) : [];

    const mb = bytes / 1e6;
    const r = {
      table: d.table, rows: d.rows, megabytes: Number(mb.toFixed(1)),
      rawCopy: { seconds: rawCopy.seconds, mbPerSec: mb / rawCopy.seconds, pgCpu: rawCopy.pgCpu },
      rawCopy2: { seconds: rawCopy2.seconds, mbPerSec: mb / rawCopy2.seconds },
      pgmyDump: { ...dump, mbPerSec: mb / dump.seconds, ratio: rawCopy.seconds / dump.seconds },
      rawLoad: { seconds: rawLoad.seconds, mbPerSec: mb / rawLoad.seconds },
      rawLoad2: { seconds: rawLoad2.seconds, mbPerSec: mb / rawLoad2.seconds, myCpu: rawLoad2.myCpu },
      pgmyLoad: { ...load, mbPerSec: mb / load.seconds, ratio: rawLoad2.seconds / load.seconds },
      // The goal: within 10 % of the slower raw side (one COPY, or LOAD DATA in as many sessions as pgmy uses).
      pgmyMigrate: { ...migrate, vsSlowerRaw: migrate.seconds / Math.max(rawCopy.seconds, rawLoad2.seconds) },
      pgmyMigrateNoOverlap: { ...sequential, vsSlowerRaw: sequential.seconds / Math.max(rawCopy.seconds, rawLoad2.seconds) },
      // All three on one machine: the CPU seconds they need, spread over every core, is as fast as it can go.
      migrateCpuFloor: (migrate.pgCpu + migrate.myCpu + migrate.cpuSeconds) / cores,
      compression: compression.map((c) => ({ ...c, storedRatio: c.storedMb / mb, dumpVsPlain: dump.seconds / c.pgmyDump.seconds, loadVsPlain: load.seconds / c.pgmyLoad.seconds })),
    };
    results.push(r);
    process.stderr.write(`bench: ${d.table}: ${JSON.stringify(r)}\n`);
  }
  const small = await measureSmallTables(src, out);
  await src.end();
  await my.end();

  const machine = await machineLine();
  await writeFile(join(out, 'results.json'), JSON.stringify({ when: new Date().toISOString(), machine, results, small }, null, 2) + '\n');
  await writeFile(join(out, 'chart.svg'), chart(results.map((r) => ({ label: `${r.table} (${r.megabytes} MB)`, dump: r.pgmyDump.ratio, load: r.pgmyLoad.ratio, rss: r.pgmyLoad.peakRssMb }))));
  const row = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
  const f = (n: number, d = 1) => n.toFixed(d);
  process.stdout.write([
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine} (PostgreSQL and MariaDB as scripts/services.sh starts them).`, '',
    row(['table', 'rows', 'MB', 'raw COPY 1 / 2 sessions MB/s', 'pgmy dump MB/s', 'dump ratio (vs 1 session)', 'raw LOAD 1 / 2 sessions MB/s', 'pgmy load MB/s', 'load ratio (vs 2 sessions)',
      'migrate s', 'migrate / max(COPY, 2-session LOAD)', '--no-overlap / the same', 'peak RSS dump / load / migrate MB']),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
    ...results.map((r) => row([r.table, r.rows, f(r.megabytes), `${f(r.rawCopy.mbPerSec)} / ${f(r.rawCopy2.mbPerSec)}`, f(r.pgmyDump.mbPerSec), f(r.pgmyDump.ratio, 2),
      `${f(r.rawLoad.mbPerSec)} / ${f(r.rawLoad2.mbPerSec)}`, f(r.pgmyLoad.mbPerSec), f(r.pgmyLoad.ratio, 2),
      f(r.pgmyMigrate.seconds), f(r.pgmyMigrate.vsSlowerRaw, 2), f(r.pgmyMigrateNoOverlap.vsSlowerRaw, 2), `${f(r.pgmyDump.peakRssMb, 0)} / ${f(r.pgmyLoad.peakRssMb, 0)} / ${f(r.pgmyMigrate.peakRssMb, 0)}`])),
    '', `Where the CPU goes (seconds of CPU; PostgreSQL and MariaDB read from /proc, pgmy from GNU time; the raw clients' own CPU is left out). On ${cores} cores, migrate cannot take less than its CPU seconds / ${cores}:`, '',
    row(['table', 'raw COPY: PostgreSQL', 'raw 2-session LOAD: MariaDB', 'pgmy dump: PostgreSQL / pgmy', 'pgmy load: MariaDB / pgmy', 'migrate: PostgreSQL / MariaDB / pgmy', 'migrate s', 'CPU floor s', 'migrate / floor']),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
    ...results.map((r) => row([r.table, f(r.rawCopy.pgCpu), f(r.rawLoad2.myCpu), `${f(r.pgmyDump.pgCpu)} / ${f(r.pgmyDump.cpuSeconds)}`, `${f(r.pgmyLoad.myCpu)} / ${f(r.pgmyLoad.cpuSeconds)}`,
      `${f(r.pgmyMigrate.pgCpu)} / ${f(r.pgmyMigrate.myCpu)} / ${f(r.pgmyMigrate.cpuSeconds)}`, f(r.pgmyMigrate.seconds), f(r.migrateCpuFloor), f(r.pgmyMigrate.seconds / r.migrateCpuFloor, 2)])),
    '', `Many small tables (${SMALL_TABLES} of ${SMALL_ROWS} rows): pg_dump of the schema into one file ${f(small.pgDump.seconds, 2)} s, pgmy dump ${f(small.pgmyDump.seconds, 2)} s `
      + `(${f(small.pgmyDump.seconds / small.pgDump.seconds, 1)}× pg_dump's time; peak RSS ${f(small.pgmyDump.peakRssMb, 0)} MB). `
      + `Of that, Node's own start (\`node -e 0\`) takes ${f(small.nodeStart.seconds, 2)} s here${small.nodeStart.extraCaCerts ? ' (NODE_EXTRA_CA_CERTS is set: Node reads those certificates as it starts)' : ''}.`,
    '', 'Compressed chunks (--compress; the raw figure is psql COPY piped into the same program at the same level):', '',
    row(['table', 'codec', 'stored MB (of TSV)', 'raw COPY piped to codec s', 'pgmy dump s', 'dump ratio', 'dump s vs uncompressed', 'pgmy load s', 'load s vs uncompressed', 'peak RSS dump / load MB']),
    row(['---', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
    ...results.flatMap((r) => r.compression.map((c) => row([r.table, c.codec, `${f(c.storedMb)} (${f(c.storedRatio * 100, 0)} %)`, f(c.rawPipe.seconds), f(c.pgmyDump.seconds), f(c.rawPipe.seconds / c.pgmyDump.seconds, 2),
      `${f(1 / c.dumpVsPlain, 2)}×`, f(c.pgmyLoad.seconds), `${f(1 / c.loadVsPlain, 2)}×`, `${f(c.pgmyDump.peakRssMb, 0)} / ${f(c.pgmyLoad.peakRssMb, 0)}`]))),
    '', `Raw figures and per-run details: ${join(out, 'results.json')}; chart: ${join(out, 'chart.svg')}.`, '',
  ].join('\n'));
}

const SMALL_TABLES = 200;
const SMALL_ROWS = 500;

/** Schema `small`: many small tables, where per-table costs decide. pg_dump writes it into one plain file. */
async function measureSmallTables(src: pg.Client, out: string) {
  process.stderr.write(`bench: preparing ${SMALL_TABLES} small tables\n`);
  const have = Number((await src.query<{ n: string }>("SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'small'")).rows[0]?.n ?? 0);
  if (have !== SMALL_TABLES) {
    await src.query('DROP SCHEMA IF EXISTS small CASCADE; CREATE SCHEMA small');
    await src.query(`DO $$ BEGIN FOR i IN 1..${SMALL_TABLES} LOOP
      EXECUTE format('CREATE TABLE small.t%s (id int PRIMARY KEY, name text, v numeric(10,2), at timestamptz DEFAULT now())', i);
      EXECUTE format('INSERT INTO small.t%s SELECT g, ''n'' || g, g / 3.0, now() FROM generate_series(1, ${SMALL_ROWS}) g', i);
    END LOOP; END $$`);
    await src.query('VACUUM (ANALYZE)');
  }
  const file = join(out, 'small.sql');
  const runs = [];
  // Three runs each, the best kept: a few hundred milliseconds are at the mercy of whatever else runs.
  for (let i = 0; i < 3; i++) {
    const pgDump = await timed(() => sh('pg_dump', ['-d', `${PG}/${DB}`, '-n', 'small', '-f', file]));
    const dir = join(out, 'dump-small');
    await rm(dir, { recursive: true, force: true });
    const pgmyDump = await pgmy(['dump', '--source', `${PG}/${DB}`, '--schema', 'small', '--out', dir]);
    await rm(dir, { recursive: true, force: true });
    // Node's own start, which every pgmy run pays before any of its code (NODE_EXTRA_CA_CERTS, when set,
    // is read then: 40 ms of it on the machines this project runs on).
    const nodeStart = await timed(() => sh(process.execPath, ['-e', '0']));
    runs.push({ pgDump: { seconds: pgDump.seconds }, pgmyDump, nodeStart: { seconds: nodeStart.seconds } });
  }
  await rm(file, { force: true });
  return {
    tables: SMALL_TABLES, rows: SMALL_ROWS,
    pgDump: { seconds: Math.min(...runs.map((r) => r.pgDump.seconds)) },
    nodeStart: { seconds: Math.min(...runs.map((r) => r.nodeStart.seconds)), extraCaCerts: process.env.NODE_EXTRA_CA_CERTS !== undefined },
    pgmyDump: runs.reduce((a, b) => (b.pgmyDump.seconds < a.pgmyDump.seconds ? b : a)).pgmyDump,
    runs,
  };
}

/**
 * Each codec on one dataset: raw `psql COPY | gzip -6` (or `zstd -3`) into a file, pgmy dump --compress
 * with the same codec and level, the stored size, and pgmy load of the compressed folder.
 */
async function measureCompression(d: Dataset, my: mysql.Connection, out: string, loadDb: string, rawFile: string) {
  const results = [];
  for (const [codec, tool] of [['gzip', 'gzip -6'], ['zstd', 'zstd -q -3']] as const) {
    const rawPipe = await timed(() => sh('bash', ['-c', `set -o pipefail; psql -X -q -d "${PG}/${DB}" -c "COPY ${d.table} TO STDOUT" | ${tool} > "${rawFile}.${codec}"`]));
    await rm(`${rawFile}.${codec}`, { force: true });
    const dir = join(out, `dump-${d.table}-${codec}`);
    await rm(dir, { recursive: true, force: true });
    const pgmyDump = await pgmy(['dump', '--source', `${PG}/${DB}`, '--out', dir, '--tables', d.table, '--compress', codec]);
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    const storedMb = manifest.data.reduce((n, x) => n + x.bytes, 0) / 1e6;
    await my.query(`DROP DATABASE IF EXISTS ${loadDb}`);
    const pgmyLoad = await pgmy(['load', '--target', `${MY}/${loadDb}`, dir]);
    await my.query(`DROP DATABASE IF EXISTS ${loadDb}`);
    await rm(dir, { recursive: true, force: true });
    results.push({ codec, rawPipe: { seconds: rawPipe.seconds }, pgmyDump, storedMb, pgmyLoad });
    process.stderr.write(`bench: ${d.table} --compress ${codec}: ${JSON.stringify(results.at(-1))}\n`);
  }
  return results;
}

/** A small SVG bar chart: pgmy/raw throughput ratios per dataset, and the load's peak RSS. */
function chart(rows: Array<{ label: string; dump: number; load: number; rss: number }>): string {
  const w = 760;
  const rowH = 56;
  const h = 80 + rows.length * rowH;
  const x0 = 230;
  const scale = (w - x0 - 120) / Math.max(1.2, ...rows.flatMap((r) => [r.dump, r.load]));
  const bars = rows.map((r, i) => {
    const y = 60 + i * rowH;
    return `<text x="10" y="${y + 22}" font-size="13">${r.label.replace(/&/g, '&amp;')}</text>
  <rect x="${x0}" y="${y}" width="${(r.dump * scale).toFixed(1)}" height="18" fill="#4e79a7"/><text x="${x0 + r.dump * scale + 6}" y="${y + 14}" font-size="12">dump ${r.dump.toFixed(2)}×</text>
  <rect x="${x0}" y="${y + 22}" width="${(r.load * scale).toFixed(1)}" height="18" fill="#f28e2b"/><text x="${x0 + r.load * scale + 6}" y="${y + 36}" font-size="12">load ${r.load.toFixed(2)}× · ${r.rss.toFixed(0)} MB RSS</text>`;
  }).join('\n  ');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif">
  <rect width="100%" height="100%" fill="white"/>
  <text x="10" y="24" font-size="16" font-weight="bold">pgmy throughput as a fraction of the raw tools (1.0 = as fast)</text>
  <line x1="${x0 + scale}" y1="40" x2="${x0 + scale}" y2="${h - 10}" stroke="#999" stroke-dasharray="4"/>
  <text x="${x0 + scale + 4}" y="50" font-size="11" fill="#666">raw</text>
  ${bars}
</svg>
`;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
