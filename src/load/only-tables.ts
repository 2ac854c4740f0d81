import { PgmyError } from '../errors.js';
import type { Manifest } from '../model/dump-format/manifest.js';
import type { Notice } from '../model/target.js';

/**
 * The dump as `load --tables` sees it: only the tables named (by their MySQL name or the source's
 * schema.name), only the sequences their defaults use, and only the foreign keys whose referenced table is
 * loaded too (the others are listed: a later load of the whole dump adds them). An unknown name is refused.
 */
export function onlyTables(manifest: Manifest, names: readonly string[]): { manifest: Manifest; notices: Notice[] } {
  const matches = (t: { name: string; sourceSchema: string; sourceName: string }, n: string) => n === t.name || n === `${t.sourceSchema}.${t.sourceName}`;
  const unknown = names.filter((n) => !manifest.target.tables.some((t) => matches(t, n)));
  if (unknown.length > 0) {
    throw new PgmyError('nothing-selected', `--tables names ${unknown.join(', ')}, which ${unknown.length === 1 ? 'is not a table' : 'are not tables'} of this dump.`, {
      hint: 'Give the MySQL table name or the source\'s schema.table; `pgmy inspect DIR` lists the dump\'s tables.',
    });
  }
  const keep = manifest.target.tables.map((t) => names.some((n) => matches(t, n)));
  const kept = manifest.target.tables.filter((_t, i) => keep[i]);
  const keptNames = new Set(kept.map((t) => `${t.database ?? ''}.${t.name}`));
  const notices: Notice[] = [];
  const tables = kept.map((t) => ({
    ...t,
    foreignKeys: t.foreignKeys.filter((fk) => {
      const ok = keptNames.has(`${fk.refDatabase ?? t.database ?? ''}.${fk.refTable}`);
      if (!ok) notices.push({ level: 'warning', table: `${t.sourceSchema}.${t.sourceName}`, message: `foreign key ${fk.name} to ${fk.refTable} is not added: ${fk.refTable} is not among --tables (a load of the whole dump adds it)` });
      return ok;
    }),
  }));
  const defaults = kept.flatMap((t) => t.columns.map((c) => c.defaultSql ?? '')).join('\n');
  const sequences = manifest.target.sequences?.filter((s) => defaults.includes(s.name));
  return {
    manifest: {
      ...manifest,
      target: { ...manifest.target, tables, ...(sequences ? { sequences } : {}) },
      data: manifest.data.filter((_d, i) => keep[i]),
    },
    notices,
  };
}
