/**
 * npm run bench:load [-- --rows 1000000 --out bench-out/load]
 *
 * The load-side questions of the performance work, measured on the bench's mixed-type table with the
 * mariadb client (raw LOAD DATA LOCAL, the statement pgmy uses) and with pgmy load:
 *   1. rows in primary-key order against the same rows shuffled (a heap order after years of updates);
 *   2. one session against two, two sessions into one table against two sessions into two tables;
 *   3. chunk size (pgmy load, --jobs 2, chunks of 16, 64 and 256 MiB);
 *   4. two secondary indexes present during the load against added afterwards in one ALTER TABLE.
 * Writes load-experiments.json and prints a markdown table.
 */
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { loadDataSql } from '../src/target/mysql/load-data.js';
import { createTableSql } from '../src/target/mysql/ddl.js';
import type { Manifest } from '../src/model/dump-format/manifest.js';
import type { TargetTable } from '../src/model/target.js';
import { datasets, DB, machine, mariadbClient, MY, PG, pgmy, sh, timed } from './bench-lib.js';

const RAW_DB = `${DB}_exp`;

/** The statement pgmy sends for a chunk, into the table of that name. */
function loadSql(t: TargetTable, table: string, file: string): string {
  return `${loadDataSql({ ...t, name: table }, file)};\n`;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const arg = (name: string, dflt: string) => (argv.includes(name) ? (argv[argv.indexOf(name) + 1] as string) : dflt);
  const rows = Number(arg('--rows', '1000000'));
  const out = arg('--out', 'bench-out/load');
  await mkdir(out, { recursive: true });
  const dataset = datasets([rows])[0];
  if (!dataset) throw new Error('no dataset');

  const admin = new pg.Client({ connectionString: `${PG}/postgres` });
  await admin.connect();
  if (!(await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB])).rowCount) await admin.query(`CREATE DATABASE ${DB}`);
  await admin.end();
  const src = new pg.Client({ connectionString: `${PG}/${DB}` });
  await src.connect();
  if ((await src.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [dataset.table])).rows[0]?.t === null) await src.query(dataset.create);
  await src.end();

  // The rows once, as pgmy writes them: one file in key order, the same lines shuffled, and two halves.
  const dumpDir = join(out, 'dump');
  await rm(dumpDir, { recursive: true, force: true });
  await pgmy(['dump', '--source', `${PG}/${DB}`, '--tables', dataset.table, '--out', dumpDir, '--jobs', '1', '--chunk-size', '64GiB']);
  const manifest = JSON.parse(await readFile(join(dumpDir, 'manifest.json'), 'utf8')) as Manifest;
  const t = manifest.target.tables[0] as TargetTable;
  const ordered = join(dumpDir, manifest.data[0]?.chunks[0]?.file as string);
  const shuffled = join(out, 'shuffled.tsv');
  await sh('bash', ['-c', `shuf --random-source=<(yes) "${ordered}" > "${shuffled}"`]);
  const halves = join(out, 'half-');
  await sh('bash', ['-c', `split -n l/2 -d "${ordered}" "${halves}"`]);
  const [half0, half1] = (await readdir(out)).filter((f) => f.startsWith('half-')).sort().map((f) => join(out, f)) as [string, string];
  const mb = Number((await sh('stat', ['-c', '%s', ordered])).trim()) / 1e6;

  const my = await mysql.createConnection({ uri: MY, multipleStatements: true });
  const fresh = async (tables: string[], indexes = false) => {
    await my.query(`DROP DATABASE IF EXISTS ${RAW_DB}; CREATE DATABASE ${RAW_DB} CHARACTER SET utf8mb4; USE ${RAW_DB}`);
    for (const name of tables) {
      await my.query(createTableSql({ ...t, name }, 'mariadb'));
      if (indexes) await my.query(`ALTER TABLE \`${name}\` ADD INDEX i_label (label), ADD INDEX i_at (\`at\`)`);
    }
  };
  const results: Array<{ experiment: string; variant: string; seconds: number }> = [];
  const record = (experiment: string, variant: string, seconds: number) => {
    results.push({ experiment, variant, seconds });
    process.stderr.write(`load-experiments: ${experiment} / ${variant}: ${seconds.toFixed(1)} s\n`);
  };

  // 1. Key order against heap (shuffled) order.
  await fresh([t.name]);
  record('row order', 'primary-key order, 1 session', (await timed(() => mariadbClient(RAW_DB, loadSql(t, t.name, ordered)))).seconds);
  await fresh([t.name]);
  record('row order', 'shuffled, 1 session', (await timed(() => mariadbClient(RAW_DB, loadSql(t, t.name, shuffled)))).seconds);

  // 2. Concurrency: two sessions into one table (disjoint key ranges), or into two tables.
  await fresh([t.name]);
  record('sessions', '2 sessions into one table', (await timed(() => Promise.all([
    mariadbClient(RAW_DB, loadSql(t, t.name, half0)), mariadbClient(RAW_DB, loadSql(t, t.name, half1))]))).seconds);
  await fresh(['a', 'b']);
  record('sessions', '2 sessions into two tables', (await timed(() => Promise.all([
    mariadbClient(RAW_DB, loadSql(t, 'a', half0)), mariadbClient(RAW_DB, loadSql(t, 'b', half1))]))).seconds);

  // 4. Secondary indexes during the load, or built afterwards.
  await fresh([t.name], true);
  record('indexes', 'two secondary indexes present during the load', (await timed(() => mariadbClient(RAW_DB, loadSql(t, t.name, ordered)))).seconds);
  await fresh([t.name]);
  const data = await timed(() => mariadbClient(RAW_DB, loadSql(t, t.name, ordered)));
  const build = await timed(() => my.query(`ALTER TABLE \`${t.name}\` ADD INDEX i_label (label), ADD INDEX i_at (\`at\`)`));
  record('indexes', `loaded, then both added in one ALTER (${data.seconds.toFixed(1)} + ${build.seconds.toFixed(1)} s)`, data.seconds + build.seconds);
  await my.query(`DROP DATABASE IF EXISTS ${RAW_DB}`);
  await my.end();

  // 3. Chunk size, through pgmy itself (two sessions, chunks of the same table in parallel).
  for (const size of ['16MiB', '64MiB', '256MiB']) {
    const dir = join(out, `dump-${size}`);
    await rm(dir, { recursive: true, force: true });
    await pgmy(['dump', '--source', `${PG}/${DB}`, '--tables', dataset.table, '--out', dir, '--chunk-size', size]);
    const target = `${MY}/${RAW_DB}`;
    const r = await pgmy(['load', '--target', target, dir, '--jobs', '2']);
    record('chunk size', `pgmy load --jobs 2, ${size} chunks`, r.seconds);
    await mysql.createConnection({ uri: MY }).then(async (c) => { await c.query(`DROP DATABASE IF EXISTS ${RAW_DB}`); await c.end(); });
    await rm(dir, { recursive: true, force: true });
  }
  await rm(dumpDir, { recursive: true, force: true });
  for (const f of [shuffled, half0, half1]) await rm(f, { force: true });

  const when = new Date().toISOString();
  const on = await machine();
  await writeFile(join(out, 'load-experiments.json'), JSON.stringify({ when, machine: on, table: dataset.table, megabytes: mb, results }, null, 2) + '\n');
  process.stdout.write([
    `Measured ${when.slice(0, 10)} on ${on}: ${dataset.table}, ${rows} rows, ${mb.toFixed(1)} MB of TSV, into InnoDB.`, '',
    '| experiment | variant | seconds | MB/s |', '| --- | --- | ---: | ---: |',
    ...results.map((r) => `| ${r.experiment} | ${r.variant} | ${r.seconds.toFixed(1)} | ${(mb / r.seconds).toFixed(1)} |`), '',
  ].join('\n'));
}

main().catch((err: unknown) => {
  process.stderr.write(`load-experiments failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
