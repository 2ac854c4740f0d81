import type { CheckConstraint, FkAction, ForeignKey, Index, PartitionOnly } from '../../model/catalog.js';

/** partition-constraints.sql's rows. */
export interface PartitionConstraintRow {
  table_oid: string; type: string; name: string; columns: string[]; ref_table_oid: string; ref_columns: string[];
  on_update: string; on_delete: string; match_type: string; deferrable: boolean; definition: string; on_leaves: number; leaves: number;
}

/** partition-indexes.sql's rows. */
export interface PartitionIndexRow {
  table_oid: string; name: string; method: string; key_defs: string[]; options: number[]; on_leaves: number; leaves: number;
}

export interface PartitionOwn {
  readonly foreignKeys: ForeignKey[];
  readonly checks: CheckConstraint[];
  readonly indexes: Index[];
  /** Declared on some leaves only: listed (foreign keys and checks are not carried, indexes are). */
  readonly partial: PartitionOnly[];
}

/**
 * What every leaf partition of a partitioned table declares of its own (foreign keys, checks, plain
 * indexes) holds for the whole table, which MySQL keeps as one: carried as the table's. A foreign key or
 * check only some leaves declare is listed, not carried (on the whole table it would refuse rows PostgreSQL
 * holds); such an index is carried (it is only speed) and listed.
 */
export function partitionOwn(
  cons: readonly PartitionConstraintRow[], idx: readonly PartitionIndexRow[], columns: readonly string[],
  refTable: (oid: string) => { schema: string; name: string } | undefined, actions: Readonly<Record<string, FkAction>>,
): PartitionOwn {
  const out: PartitionOwn = { foreignKeys: [], checks: [], indexes: [], partial: [] };
  for (const c of cons) {
    if (c.on_leaves < c.leaves) {
      out.partial.push({ kind: c.type === 'f' ? 'foreign key' : 'check', name: c.name, definition: c.definition, onLeaves: c.on_leaves, leaves: c.leaves });
    } else if (c.type === 'c') {
      out.checks.push({ name: c.name, definition: c.definition });
    } else {
      const ref = refTable(c.ref_table_oid);
      out.foreignKeys.push({
        name: c.name, columns: c.columns, refSchema: ref?.schema ?? '?', refTable: ref?.name ?? `oid ${c.ref_table_oid}`, refColumns: c.ref_columns,
        onUpdate: actions[c.on_update] ?? 'NO ACTION', onDelete: actions[c.on_delete] ?? 'NO ACTION',
        matchFull: c.match_type === 'f', deferrable: c.deferrable, definition: c.definition,
      });
    }
  }
  const columnOf = (def: string): string | undefined => {
    const name = def.startsWith('"') && def.endsWith('"') ? def.slice(1, -1).replace(/""/g, '"') : def;
    return columns.includes(name) ? name : undefined;
  };
  for (const i of idx) {
    const definition = `(${i.key_defs.join(', ')})`;
    // An index is only speed: carried for the whole table even when some leaves lack it (listed).
    if (i.on_leaves < i.leaves) out.partial.push({ kind: 'index', name: i.name, definition, onLeaves: i.on_leaves, leaves: i.leaves });
    out.indexes.push({
      name: i.name, unique: false, method: i.method, includeColumns: [], definition: `${i.method} ${definition} on every partition`,
      keys: i.key_defs.map((d, n) => {
        const column = columnOf(d);
        return { ...(column !== undefined ? { column } : { expression: d }), descending: ((i.options[n] ?? 0) & 1) === 1 };
      }),
    });
  }
  return out;
}
