// Fails when a source file grows past 300 lines (STYLE.md: split a file past ~300).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const LIMIT = 300;
const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
const long = walk('src').filter((f) => f.endsWith('.ts'))
  .map((f) => [f, readFileSync(f, 'utf8').split('\n').length - 1])
  .filter(([, n]) => n > LIMIT);
for (const [f, n] of long) console.error(`${f}: ${n} lines (at most ${LIMIT}; split it by what its parts do)`);
process.exitCode = long.length > 0 ? 1 : 0;
