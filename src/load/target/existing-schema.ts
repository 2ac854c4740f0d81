import type { TableMatch } from '../../mapping/data-only/match.js';
import type { ChunkRecord, Manifest, TableData } from '../../model/dump-format/manifest.js';
import { sourceKey, type TargetTable } from '../../model/target.js';
import type { MyConnection } from '../../target/mysql/connect.js';
import { quoteMy } from '../../target/mysql/quote.js';
import { continueSequences, findOrphans, orphanError } from '../data-only/after-load.js';
import { prepareDataOnly, type DataOnlyOptions } from '../data-only/prepare.js';
import { dataOnlyLoadSql, FieldRewriter, needsRewrite } from '../data-only/statement.js';
import type { ChunkJob } from '../load-chunk.js';
import type { Emptying, LoadTarget } from './load-target.js';
import { journalAdd } from '../../target/mysql/journal.js';

/**
 * Tables an application's framework made (--data-only): each dumped table and column is matched to one,
 * values converted where the framework stores them differently; no DDL. After the data pgmy checks the
 * foreign keys (MySQL does not check rows loaded with them off) and moves the AUTO_INCREMENTs on.
 */
export class ExistingSchema implements LoadTarget {
  /** The framework's unique keys exist already: with unique checks on, a duplicate is a warning that names the key. */
  readonly uniqueChecks = true;
  private matches: ReadonlyMap<string, TableMatch> = new Map();

  constructor(private readonly manifest: Manifest, private readonly database: string, private readonly options: DataOnlyOptions) {}

  /** A framework's tables are not pgmy's to drop: forgetting the other load is enough (--truncate empties them). */
  forgetOtherLoad(): Promise<void> {
    return Promise.resolve();
  }

  async prepare(admin: MyConnection): Promise<void> {
    this.matches = await prepareDataOnly(admin, this.database, this.manifest.dumpId, this.manifest.target.tables, this.options);
    await journalAdd(admin, this.manifest.dumpId, 'mode', 'data-only');
  }

  private match(d: TableData): TableMatch | undefined {
    return this.matches.get(sourceKey(d));
  }

  tableName(d: TableData): string {
    return this.match(d)?.targetName ?? d.target;
  }

  emptying(d: TableData): Emptying {
    const name = this.tableName(d);
    return { name, emptySql: `DELETE FROM ${quoteMy(name)}`, transactional: true };
  }

  job(table: TargetTable, d: TableData, chunk: ChunkRecord, onBytes: (bytes: number) => void): ChunkJob {
    const m = this.match(d);
    if (!m) return { table, chunk, onBytes };
    return {
      table, chunk, onBytes, statement: (file: string) => dataOnlyLoadSql(m, undefined, file),
      ...(needsRewrite(m) ? { transform: () => new FieldRewriter(m, d.target) } : {}),
    };
  }

  async finish(admin: MyConnection): Promise<void> {
    const matches = [...this.matches.values()];
    const orphans = await findOrphans(admin, this.database, matches.map((m) => m.targetName));
    if (orphans.length > 0) throw orphanError(orphans);
    await continueSequences(admin, matches);
  }
}
