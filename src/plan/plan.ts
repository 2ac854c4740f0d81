import { introspect, type IntrospectOptions } from '../source/postgres/introspect.js';
import { qualifiedName, type Catalog } from '../model/catalog.js';
import type { PgClient } from '../source/postgres/connect.js';
import { mapCatalog } from '../mapping/map-catalog.js';
import type { ScanResult, UnrepresentablePolicy } from '../mapping/scan-model.js';
import type { TargetSchema } from '../model/target.js';
import type { Overrides } from '../mapping/overrides.js';
import { scanSource, SPLIT_SCAN_BYTES } from './scan.js';
import { probeDefaults } from './default-probe.js';
import type { TextKeyPolicy } from '../mapping/key-fit.js';
import { DEFAULTS } from '../defaults.js';
import type { Conventions } from '../mapping/conventions.js';

export interface PlanOptions extends IntrospectOptions, Overrides {
  /** Look through the data for values MySQL cannot hold (default true). */
  readonly scan?: boolean;
  /** Leave value checks the COPY can make to the dump (see ScanOptions.deferChecks). */
  readonly deferChecks?: boolean;
  readonly onUnrepresentable?: UnrepresentablePolicy;
  readonly schemaMap?: ReadonlyMap<string, string>;
  readonly textCollation?: string;
  readonly textKeys?: TextKeyPolicy;
  readonly conventions?: Conventions;
  readonly onScanTable?: (table: string) => void;
  /** Further sessions of the caller's snapshot for the scan, asked for once the tables to scan are known. */
  readonly scanSessions?: (tables: number) => Promise<readonly PgClient[]>;
}

export interface Plan {
  readonly catalog: Catalog;
  readonly target: TargetSchema;
  readonly scan?: ScanResult;
}

/** Reads the catalog, scans the data and decides the MySQL schema, in the caller's transaction. */
export async function makePlan(client: PgClient, options: PlanOptions): Promise<Plan> {
  const read = await introspect(client, options);
  // As many sessions as tables, or all that are offered when a table is large enough to be scanned in ranges.
  const wanted = read.tables.some((t) => t.estimatedBytes >= SPLIT_SCAN_BYTES) ? Number.MAX_SAFE_INTEGER : read.tables.length;
  const sessions = options.scan === false ? [] : [client, ...(await options.scanSessions?.(wanted) ?? [])];
  const scanned = options.scan === false ? undefined : await scanSource(sessions, read, {
    ...(options.onScanTable ? { onTable: options.onScanTable } : {}), ...(options.conventions ? { conventions: options.conventions } : {}),
    ...(options.deferChecks ? { deferChecks: true } : {}),
  });
  const scan = scanned?.columns;
  // The scan counted these tables' rows in the snapshot: exact figures beat the planner's estimates.
  const catalog: Catalog = scanned === undefined ? read : {
    ...read,
    tables: read.tables.map((t) => {
      const n = scanned.rows.get(qualifiedName(t));
      if (n === undefined) return t;
      const { rowsUnknown: _unknown, ...rest } = t;
      return { ...rest, estimatedRows: n, rowsCounted: true };
    }),
  };
  const mapOptions = {
    ...(scan ? { scan } : {}), onUnrepresentable: options.onUnrepresentable ?? DEFAULTS.onUnrepresentable,
    ...(options.schemaMap ? { schemaMap: options.schemaMap } : {}),
    ...(options.textCollation !== undefined ? { textCollation: options.textCollation } : {}),
    ...(options.textKeys !== undefined ? { textKeys: options.textKeys } : {}),
    ...(options.conventions !== undefined ? { conventions: options.conventions } : {}),
    ...(options.casts ? { casts: options.casts } : {}), ...(options.renames ? { renames: options.renames } : {}),
  };
  // Mapped once to learn each column's COPY expression, then again with the literal defaults as dumped
  // (mapping is pure: with no default to probe, the second would be the first again; 800 tables: 50-120 ms).
  const first = mapCatalog(catalog, mapOptions);
  const dumpedDefaults = await probeDefaults(client, catalog, first, options.conventions);
  const target = dumpedDefaults.size === 0 ? first : mapCatalog(catalog, { ...mapOptions, dumpedDefaults });
  return { catalog, target, ...(scan ? { scan } : {}) };
}
