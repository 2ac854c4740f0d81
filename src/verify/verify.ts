import { dropJournal } from './drop-journal.js';
import { introspect } from '../source/postgres/introspect.js';
import type { Catalog } from '../model/catalog.js';
import { connectMy, myQueryError, myTarget } from '../target/mysql/connect.js';
import { closePg, connectPg, pgQueryError, pgTarget } from '../source/postgres/connect.js';
import { readManifest } from '../model/dump-format/manifest.js';
import { useS3Settings } from '../files/stores.js';
import { checkSourceExpressions } from './source-expressions.js';
import { errnoOf } from '../target/mysql/error-codes.js';
import { PgmyError, interrupted } from '../errors.js';
import { mapCatalog } from '../mapping/map-catalog.js';
import type { TargetSchema, TargetTable } from '../model/target.js';
import { compareTable, missingTableVerdict, type TableVerdict } from './compare-table.js';
import { dataOnlyCanon } from './data-only-canon.js';
import { matchTables } from '../mapping/data-only/match.js';
import { existingColumns } from '../target/mysql/existing-columns.js';
import { sourceKey } from '../model/target.js';
import { DEFAULTS, schemasOrDefault } from '../defaults.js';
import { beginSnapshot } from '../source/postgres/snapshot.js';
import { tableExists } from '../target/mysql/has-rows.js';
import { loadedConventions, loadedDataOnly, loadedForms } from '../target/mysql/journal.js';
import { compareForm } from '../mapping/compare-form.js';
import type { Conventions } from '../mapping/conventions.js';

export interface VerifyOptions {
  readonly source: string;
  /** An S3-compatible endpoint for an s3:// dump location (--s3-endpoint); AWS S3 itself needs none. */
  readonly s3Endpoint?: string;
  readonly target: string;
  /** Once every table matches, drop the target's _pgmy_journal (only a finished load's; the whole schema must be verified). */
  readonly dropJournal?: boolean;
  /** Passwords when not in the URLs (else PGPASSWORD, MYSQL_PWD). */
  readonly sourcePassword?: string;
  readonly targetPassword?: string;
  /** A dump folder whose manifest says which tables and how they were mapped. */
  readonly dir?: string;
  readonly schemas?: readonly string[];
  readonly tables?: readonly string[];
  readonly excludeTables?: readonly string[];
  readonly schemaMap?: ReadonlyMap<string, string>;
  /** The target was loaded with --data-only: compare through the target's own columns and conversions. */
  readonly dataOnly?: boolean;
  readonly ignoreCase?: boolean;
  /** Without a dump folder: the --conventions the dump used (else read from the target's journal). */
  readonly conventions?: Conventions;
  /** How many differences to report per table (all are counted). */
  readonly maxDiffs?: number | undefined;
  readonly onTable?: (v: TableVerdict) => void;
  /** Called as each table's comparison starts: its name, its place and the number of tables. */
  readonly onTableStart?: (table: string, index: number, of: number) => void;
  /** Stops the comparison, and the queries in flight on both servers. */
  readonly signal?: AbortSignal;
}

export interface VerifyResult {
  readonly match: boolean;
  readonly tables: readonly TableVerdict[];
  /** --drop-journal: every table matched and the journal of the finished load was dropped. */
  readonly journalDropped?: boolean;
}

/** Compares every table row by row between PostgreSQL and MySQL; `match` says whether all are equal. */
export async function verify(options: VerifyOptions): Promise<VerifyResult> {
  if (options.dropJournal && ((options.tables ?? []).length > 0 || (options.excludeTables ?? []).length > 0)) {
    throw new PgmyError('usage', '--drop-journal needs every table verified: leave out --tables and --exclude-tables.');
  }
  // The dump folder is checked before anything is sent to either server.
  if (options.s3Endpoint !== undefined) useS3Settings({ endpoint: options.s3Endpoint });
  const manifest = options.dir ? await readManifest(options.dir) : undefined;
  const dumped = manifest ? dumpedTables(manifest.target.tables, options) : undefined;
  if (dumped) checkSourceExpressions(dumped);
  const stop = options.signal ? { signal: options.signal } : {};
  const pg = await connectPg(pgTarget(options.source, options.sourcePassword), 'pgmy verify', stop);
  const target = myTarget(options.target, options.targetPassword);
  try {
    const my = await connectMy(target, target.database, stop);
    let finished = false;
    try {
      let schema: TargetSchema;
      let dumpId: string | undefined;
      let catalog: Catalog;
      if (manifest && dumped) {
        dumpId = manifest.dumpId;
        schema = { ...manifest.target, tables: dumped };
        catalog = manifest.catalog;
      } else {
        await beginSnapshot(pg);
        catalog = await introspect(pg, {
          schemas: schemasOrDefault(options.schemas),
          tables: options.tables ?? [], excludeTables: options.excludeTables ?? [],
        });
        const conventions = options.conventions ?? await loadedConventions(my, target.database);
        // Unscanned: only each column's rule decides how it compares, not the type its values would choose.
        schema = mapCatalog(catalog, {
          ...(options.schemaMap ? { schemaMap: options.schemaMap } : {}), ...(conventions !== undefined ? { conventions } : {}), anyValues: true,
        });
      }
      // The target's journal says whether the load converted values into a framework's columns.
      const dataOnly = options.dataOnly === true || await loadedDataOnly(my, target.database, dumpId);
      if (!manifest && !dataOnly) checkLoadedForms(schema.tables, await loadedForms(my, target.database));
      const matches = dataOnly
        ? new Map(matchTables(schema.tables, await existingColumns(my, target.database), { ignoreCase: options.ignoreCase ?? false, allowMissingColumns: true })
          .matches.map((m) => [sourceKey(m.table), m]))
        : undefined;
      const tables: TableVerdict[] = [];
      for (const [index, t] of schema.tables.entries()) {
        if (options.signal?.aborted) throw interrupted();
        options.onTableStart?.(t.name, index, schema.tables.length);
        const m = matches?.get(sourceKey(t));
        const override = m ? { ...dataOnlyCanon(m), targetName: m.targetName } : undefined;
        const partitioned = catalog.tables.find((c) => c.schema === t.sourceSchema && c.name === t.sourceName)?.kind === 'partitioned';
        let v: TableVerdict;
        try {
          // A table the target lacks is a difference (exit 3), not a failure of verify.
          const present = matches ? m !== undefined : await tableExists(my, t.database ?? target.database, t.name);
          v = present
            ? await compareTable(pg, my, t, { partitioned, maxDiffs: options.maxDiffs ?? DEFAULTS.maxDiffs, ...(override ? { override } : {}) })
            : await missingTableVerdict(pg, t, partitioned, t.name);
        } catch (err) {
          throw errnoOf(err) !== undefined ? myQueryError(err, `reading ${t.name} to verify it`, { table: t.name }) : pgQueryError(err, `reading ${t.sourceSchema}.${t.sourceName} to verify it`, { table: t.name });
        }
        tables.push(v);
        options.onTable?.(v);
      }
      const match = tables.every((t) => t.match);
      if (match && options.dropJournal) await dropJournal(my, target.database);
      finished = true;
      return { match, tables, ...(match && options.dropJournal ? { journalDropped: true } : {}) };
    } finally {
      // After a failure a query may still be streaming, paused: end() would wait for it for ever.
      if (finished) await my.end().catch(() => undefined);
      else my.destroy();
    }
  } finally {
    await closePg(pg).catch(() => undefined);
  }
}

export function mismatchError(result: VerifyResult): PgmyError | undefined {
  const bad = result.tables.filter((t) => !t.match);
  if (bad.length === 0) return undefined;
  return new PgmyError('verify-mismatch', `${bad.length} table(s) differ between source and target: ${bad.map((t) => t.table).join(', ')}.`, {
    ...(bad[0] ? { table: bad[0].table } : {}),
    hint: 'Load again with --restart, or look at the listed keys; `pgmy verify --json` gives every detail.',
  });
}

/**
 * Without a dump folder the tables are mapped again from the catalog: each must compare as the load recorded
 * it (mapping/compare-form.ts), else the comparison would be of another mapping than the one loaded.
 */
function checkLoadedForms(tables: readonly TargetTable[], loaded: ReadonlyMap<string, ReadonlySet<string>>): void {
  const changed = tables.filter((t) => {
    const forms = loaded.get(sourceKey(t));
    return forms !== undefined && !forms.has(compareForm(t));
  }).map(sourceKey);
  if (changed.length === 0) return;
  const named = changed.length > 5 ? `${changed.slice(0, 5).join(', ')} and ${changed.length - 5} more` : changed.join(', ');
  throw new PgmyError('mapping-changed', `Without a dump folder verify maps the source again, and ${changed.length} table(s) map otherwise than they were loaded: ${named}. Nothing was compared.`, {
    table: changed[0] as string,
    hint: 'Give the dump folder the target was loaded from (pgmy verify --source URL --target URL DIR): its manifest says how each table was mapped (--on-unrepresentable, --cast, --rename, --schema-map). Or the table changed in PostgreSQL since the load.',
  });
}

/** A dump's tables, narrowed by --tables / --exclude-tables as the dump itself was: every name must be one of them. */
function dumpedTables(tables: readonly TargetTable[], o: VerifyOptions): TargetTable[] {
  const is = (t: TargetTable, n: string) => n === t.sourceName || n === `${t.sourceSchema}.${t.sourceName}`;
  for (const [option, list] of [['--tables', o.tables ?? []], ['--exclude-tables', o.excludeTables ?? []]] as const) {
    const unknown = list.filter((n) => !tables.some((t) => is(t, n)));
    if (unknown.length > 0) {
      throw new PgmyError('nothing-selected', `${option} names ${unknown.join(', ')}, which the dump does not hold.`, {
        hint: 'Name tables as the dump does (table or schema.table); `pgmy inspect DIR` lists them.',
      });
    }
  }
  return tables.filter((t) => (o.tables?.length ? o.tables.some((n) => is(t, n)) : true) && !(o.excludeTables ?? []).some((n) => is(t, n)));
}
