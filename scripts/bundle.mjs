// Bundles the CLI (dist/src/cli/main.js and the stages it loads on demand) into dist/bundle, which
// bin/pgmy.js runs. Node 20 has no module compile cache: loading the ~150 ES modules of a dump one by one
// took 35-40 ms of each command's start (measured on `pgmy dump` of one table: 180 -> 142 ms to the dump's
// first step). The library (dist/src) stays as tsc writes it.
//
// The bundle sits two folders below the package root, as dist/src/*.js does, so that version.ts finds
// package.json at the same relative path; the catalog queries are copied next to it. Left out of it: what is
// loaded through createRequire (yargs, pgpass: resolved from node_modules at run time), the AWS SDK (large,
// loaded only for an s3:// dump folder) and pg-native (an optional peer of pg, never installed by pgmy).
import { build } from 'esbuild';
import { cpSync, rmSync } from 'node:fs';

rmSync('dist/bundle', { recursive: true, force: true });
await build({
  entryPoints: { main: 'dist/src/cli/main.js' },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['@aws-sdk/*', 'pg-native'],
  // The CommonJS packages inside (pg, mysql2, csv-stringify…) call require for Node's own modules.
  banner: { js: "import { createRequire as __pgmyRequire } from 'node:module'; const require = __pgmyRequire(import.meta.url);" },
  logLevel: 'warning',
});
cpSync('src/source/postgres/queries', 'dist/bundle/queries', { recursive: true });
