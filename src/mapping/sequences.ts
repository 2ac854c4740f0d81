import type { Sequence } from '../model/catalog.js';
import type { Notice, TargetSequence, TargetTable } from '../model/target.js';

/** MariaDB's sequence range: one short of BIGINT's at each end (error 4085 beyond). */
const MARIADB_MAX = 9223372036854775806n;
const MARIADB_MIN = -9223372036854775807n;

const clamp = (v: bigint): bigint => (v > MARIADB_MAX ? MARIADB_MAX : v < MARIADB_MIN ? MARIADB_MIN : v);

/**
 * A PostgreSQL sequence as a MariaDB SEQUENCE standing where the dump found it: START WITH the value the next
 * nextval() returns, the same step, range (MariaDB's is one short of BIGINT's at both ends), CYCLE and CACHE.
 * A string is the reason it cannot be carried.
 */
export function toTargetSequence(seq: Sequence, database: string | undefined): TargetSequence | string {
  if (seq.min === undefined || seq.max === undefined) return 'the dump predates pgmy carrying sequences';
  if (seq.unreadable) return `the source role may not read where it stands (GRANT SELECT ON SEQUENCE ${seq.schema}.${seq.name} to carry it)`;
  const step = BigInt(seq.increment);
  const min = clamp(BigInt(seq.min));
  const max = clamp(BigInt(seq.max));
  let start = BigInt(seq.nextValue);
  if (start > max || start < min) {
    if (!seq.cycle) return `it is exhausted (its next value ${seq.nextValue} is outside ${seq.min}..${seq.max})`;
    start = step > 0n ? min : max;
  }
  return {
    ...(database !== undefined ? { database } : {}), name: seq.name, source: `${seq.schema}.${seq.name}`,
    start: start.toString(), increment: step.toString(), min: min.toString(), max: max.toString(),
    cycle: seq.cycle === true, cache: seq.cache ?? '1',
  };
}

/** The words plan shows for a carried sequence. */
export function sequenceCarried(s: TargetSequence): string {
  return `on MariaDB it is made again as SEQUENCE ${s.name} (next value ${s.start}, INCREMENT BY ${s.increment}); MySQL 8 has no sequences: there it is not carried`;
}

/**
 * A sequence whose name a table of the same MySQL database takes cannot be made (MariaDB keeps sequences
 * among the tables): such sequences are dropped, with the columns' defaults that name them.
 */
export function placeSequences(
  wanted: ReadonlyMap<string, TargetSequence>, tables: TargetTable[], notices: Notice[],
): { tables: TargetTable[]; sequences: TargetSequence[] } {
  const keyOf = (s: { database?: string; name: string }): string => `${s.database ?? ''}.${s.name.toLowerCase()}`;
  const taken = new Set(tables.map(keyOf));
  const counts = new Map<string, number>();
  for (const s of wanted.values()) counts.set(keyOf(s), (counts.get(keyOf(s)) ?? 0) + 1);
  const kept: TargetSequence[] = [];
  const dropped = new Set<string>();
  for (const s of wanted.values()) {
    const key = keyOf(s);
    if (taken.has(key) || (counts.get(key) ?? 0) > 1) {
      dropped.add(key);
      notices.push({ level: 'warning', object: s.source, message: `sequence ${s.source} is not carried: its MySQL name ${s.name} is taken by a table or another sequence of the same database` });
      continue;
    }
    kept.push(s);
  }
  if (dropped.size === 0) return { tables, sequences: kept };
  const strip = (t: TargetTable): TargetTable => ({
    ...t,
    columns: t.columns.map((c) => {
      if (!c.sequenceDefault || !dropped.has(keyOf(c.sequenceDefault))) return c;
      const { sequenceDefault: _gone, ...rest } = c;
      return rest;
    }),
  });
  return { tables: tables.map(strip), sequences: kept };
}
