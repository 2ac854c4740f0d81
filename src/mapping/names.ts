import { createHash } from 'node:crypto';

/** MySQL identifiers are at most 64 characters. */
export const MAX_IDENTIFIER = 64;

/**
 * Hands out names that are unique within a scope (MySQL wants constraint names unique per database, where
 * PostgreSQL wants them unique per table) and at most 64 characters, keeping names unchanged when they can be.
 */
export class NameScope {
  private readonly used = new Set<string>();

  take(wanted: string): string {
    let name = shorten(wanted);
    for (let n = 2; this.used.has(name.toLowerCase()); n++) name = shorten(`${wanted}_${n}`);
    this.used.add(name.toLowerCase());
    return name;
  }
}

/** Cuts a name to 64 characters, ending it with a short hash of the whole so that cut names stay distinct. */
export function shorten(name: string): string {
  if ([...name].length <= MAX_IDENTIFIER) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return [...name].slice(0, MAX_IDENTIFIER - 9).join('') + '_' + hash;
}
