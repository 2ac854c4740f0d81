import { readFileSync } from 'node:fs';
import { PgmyError } from '../errors.js';

export type Sections = Map<string, Map<string, string>>;

/**
 * An INI-like option file, as the program that owns the format reads it: MySQL's (~/.my.cnf: `#` or `;`
 * comments, `#` also after a value, values in single or double quotes with \n \t \\ \s escapes, `-` and `_`
 * alike in names, a bare name has an empty value) or libpq's (pg_service.conf: `#` comment lines, name=value, no
 * quoting). Hand-written because a generic INI parser follows neither's quoting and comment rules.
 * `!include` lines are not followed.
 */
export function parseOptionFile(text: string, dialect: 'mysql' | 'libpq'): Sections {
  const sections: Sections = new Map();
  let current: Map<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || (dialect === 'mysql' && (line.startsWith(';') || line.startsWith('!')))) continue;
    const group = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (group) {
      const name = group[1]!;
      current = sections.get(name) ?? new Map<string, string>();
      sections.set(name, current);
      continue;
    }
    if (!current) continue;
    const eq = line.indexOf('=');
    const key = (eq < 0 ? line : line.slice(0, eq)).trim();
    const value = eq < 0 ? '' : line.slice(eq + 1).trim();
    if (dialect === 'libpq') current.set(key, value);
    else current.set(key.replace(/_/g, '-').toLowerCase(), eq < 0 ? '' : mysqlValue(value));
  }
  return sections;
}

function mysqlValue(v: string): string {
  const q = v[0];
  const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', s: ' ', '\\': '\\', '"': '"', "'": "'" };
  if (q === '"' || q === "'") {
    let out = '';
    for (let i = 1; i < v.length; i++) {
      const c = v[i]!;
      if (c === q) return out;
      if (c === '\\' && i + 1 < v.length) out += escapes[v[++i]!] ?? `\\${v[i]!}`;
      else out += c;
    }
  }
  const hash = v.search(/\s#/);
  return (hash >= 0 ? v.slice(0, hash) : v).trim().replace(/\\([ntrbs\\])/g, (_all, c: string) => escapes[c] ?? c);
}

/** Reads an option file if it exists; undefined when it does not. Any other failure is the user's to fix. */
export function readOptionFile(path: string, dialect: 'mysql' | 'libpq'): Sections | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new PgmyError('unreadable-file', `The option file ${path} cannot be read: ${code ?? (err as Error).message}.`, { cause: err });
  }
  return parseOptionFile(text, dialect);
}
