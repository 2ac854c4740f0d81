import { execFile, spawn } from 'node:child_process';

/** The servers the benchmarks use (the local ones by default) and their scratch database. */
export const PG = process.env.PGMY_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432';
export const MY = process.env.PGMY_BENCH_MY ?? 'mysql://root@127.0.0.1:3306';
export const DB = 'pgmy_bench';
const BIN = new URL('../../bin/pgmy.js', import.meta.url).pathname;

export function sh(cmd: string, args: string[], opts: { input?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { maxBuffer: 64 << 20 }, (err, out, stderr) => (err ? reject(new Error(`${cmd} ${args.join(' ')}: ${stderr || err.message}`)) : resolve(out)));
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  await settle();
  const t = performance.now();
  const value = await fn();
  return { seconds: (performance.now() - t) / 1000, value };
}

/**
 * Writes the dirty pages out before a measured step: the step before may leave gigabytes of them (the files
 * it wrote, a VACUUM), whose writeback would otherwise fall into whatever is measured next.
 */
async function settle(): Promise<void> {
  await sh('sync', []);
}

/** Runs pgmy under GNU time and returns its wall time, peak RSS in MB and CPU seconds (user + system). */
export async function pgmy(args: string[]): Promise<{ seconds: number; peakRssMb: number; cpuSeconds: number }> {
  await settle();
  const t = performance.now();
  const stderr = await new Promise<string>((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', 'PEAK_RSS_KB=%M CPU=%U+%S', process.execPath, BIN, ...args, '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('exit', (code) => (code === 0 ? resolve(err) : reject(new Error(`pgmy ${args.join(' ')} failed: ${err}`))));
  });
  const kb = Number(/PEAK_RSS_KB=(\d+)/.exec(stderr)?.[1] ?? 0);
  const cpu = /CPU=([\d.]+)\+([\d.]+)/.exec(stderr);
  return { seconds: (performance.now() - t) / 1000, peakRssMb: kb / 1024, cpuSeconds: Number(cpu?.[1] ?? 0) + Number(cpu?.[2] ?? 0) };
}

/** Runs SQL (LOAD DATA LOCAL statements among it) through the mariadb client, as a person would by hand. */
export function mariadbClient(database: string, sql: string): Promise<string> {
  const host = new URL(MY);
  return sh('mariadb', ['--local-infile=1', '--protocol=tcp', '-h', host.hostname, '-P', host.port || '3306', '-u', decodeURIComponent(host.username) || 'root', database], { input: sql });
}

export async function machine(): Promise<string> {
  return `${(await sh('nproc', [])).trim()} cores, ${Math.round(Number((await sh('bash', ['-c', "awk '/MemTotal/ {print $2}' /proc/meminfo"])).trim()) / 1048576)} GiB, node ${process.version}`;
}

export interface Dataset { readonly table: string; readonly rows: number; readonly create: string }

/** The bench's tables: a realistic mixed-type one at each size, a narrow one, one of large values. */
export function datasets(sizes: number[]): Dataset[] {
  const wide = (n: number): Dataset => ({
    table: `wide_${n}`, rows: n,
    create: `CREATE TABLE wide_${n} AS
      SELECT i::bigint AS id, (i % 1000)::int AS a, (i * 7)::bigint AS b, (i % 100000) / 100.0::numeric(12,2) AS price,
             i / 3.0::double precision AS ratio, i % 2 = 0 AS flag, 'name ' || (i % 5000) AS label,
             repeat(md5(i::text), 2) || E'\\ttab and\\\\backslash' AS body, timestamp '2020-01-01' + i * interval '1 second' AS at,
             date '2000-01-01' + (i % 9000) AS day, md5(i::text)::uuid AS uid, jsonb_build_object('i', i, 'k', 'v') AS doc,
             CASE WHEN i % 10 = 0 THEN NULL ELSE i % 77 END AS maybe
        FROM generate_series(1, ${n}) i;
      ALTER TABLE wide_${n} ADD PRIMARY KEY (id); ANALYZE wide_${n};`,
  });
  const narrow: Dataset = {
    table: 'narrow', rows: 1_000_000,
    create: `CREATE TABLE narrow AS SELECT i::bigint AS id, (i % 1000)::int AS v FROM generate_series(1, 1000000) i;
      ALTER TABLE narrow ADD PRIMARY KEY (id); ANALYZE narrow;`,
  };
  const large: Dataset = {
    table: 'large_values', rows: 200,
    create: `CREATE TABLE large_values AS SELECT i AS id, repeat(md5(i::text), 32768) AS doc FROM generate_series(1, 200) i;
      ALTER TABLE large_values ADD PRIMARY KEY (id); ANALYZE large_values;`,
  };
  return [...sizes.map(wide), narrow, large];
}


/**
 * CPU seconds the local servers have used so far, from /proc: every postgres process (the postmaster's
 * figure includes the backends it has reaped) and mariadbd. Zero for a server not running on this machine.
 */
export async function serverCpu(): Promise<{ pg: number; my: number }> {
  const { readdir, readFile } = await import('node:fs/promises');
  const ticks = Number((await sh('getconf', ['CLK_TCK'])).trim()) || 100;
  let pgTicks = 0;
  let myTicks = 0;
  for (const pid of (await readdir('/proc')).filter((d) => /^\d+$/.test(d))) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const m = /^\d+ \((.*)\) (.*)$/s.exec(stat);
    if (!m) continue;
    // After the name: state is field 3, utime 14, stime 15, cutime 16, cstime 17 (proc(5)).
    const f = (m[2] as string).split(' ').map(Number);
    const own = (f[11] ?? 0) + (f[12] ?? 0);
    if (m[1] === 'postgres') pgTicks += own + (f[13] ?? 0) + (f[14] ?? 0);
    else if (m[1] === 'mariadbd' || m[1] === 'mysqld') myTicks += own;
  }
  return { pg: pgTicks / ticks, my: myTicks / ticks };
}

/** Runs `fn` and adds the CPU seconds each local server spent meanwhile. */
export async function withServerCpu<T extends object>(fn: () => Promise<T>): Promise<T & { pgCpu: number; myCpu: number }> {
  const before = await serverCpu();
  const value = await fn();
  const after = await serverCpu();
  return { ...value, pgCpu: after.pg - before.pg, myCpu: after.my - before.my };
}
