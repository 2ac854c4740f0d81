import type { Manifest, ChunkRecord, TableData } from '../../model/dump-format/manifest.js';
import { interrupted } from '../../errors.js';
import { sourceKey, type TargetTable } from '../../model/target.js';
import { myQueryError, type MyConnection, type ServerInfo } from '../../target/mysql/connect.js';
import { tableMy } from '../../target/mysql/quote.js';
import { createTables } from '../create-tables.js';
import { journalAdd, journalReplaceAll } from '../../target/mysql/journal.js';
import { compareForm } from '../../mapping/compare-form.js';
import { inParallel } from '../in-parallel.js';
import type { ChunkJob } from '../load-chunk.js';
import type { LoadEvent } from '../options.js';
import { pendingSteps, postDataSteps, runPostDataStep } from '../post-data.js';
import type { Emptying, LoadTarget } from './load-target.js';

/** The tables pgmy creates from the dump: primary keys first, indexes, foreign keys and AUTO_INCREMENT after the data. */
export class OwnSchema implements LoadTarget {
  readonly uniqueChecks = false;
  private readonly bySource: ReadonlyMap<string, TargetTable>;

  constructor(
    private readonly manifest: Manifest, private readonly info: ServerInfo, private readonly database: string,
    private readonly truncate: boolean,
  ) {
    this.bySource = new Map(manifest.target.tables.map((t) => [sourceKey(t), t]));
  }

  async forgetOtherLoad(admin: MyConnection): Promise<void> {
    for (const t of this.manifest.target.tables) {
      await admin.query(`DROP TABLE IF EXISTS ${tableMy(t)}`).catch((err: unknown) => { throw myQueryError(err, `dropping ${t.name}`, { table: t.name }); });
    }
    if (this.info.flavor !== 'mariadb') return;
    for (const s of this.manifest.target.sequences ?? []) {
      await admin.query(`DROP SEQUENCE IF EXISTS ${tableMy(s)}`).catch((err: unknown) => { throw myQueryError(err, `dropping sequence ${s.name}`, { table: s.name }); });
    }
  }

  async prepare(admin: MyConnection): Promise<void> {
    await createTables(admin, this.manifest.target.tables, {
      sequences: this.manifest.target.sequences ?? [],
      dumpId: this.manifest.dumpId, flavor: this.info.flavor, database: this.database, truncate: this.truncate,
      ...(this.manifest.target.textCollation !== undefined ? { collation: this.manifest.target.textCollation } : {}),
    });
    // verify without the dump folder maps the source again: the journal says with which framework's types,
    // and how each table compares as loaded, so that another mapping is refused rather than compared.
    const conventions = this.manifest.options.conventions;
    if (conventions !== undefined) await journalAdd(admin, this.manifest.dumpId, 'mode', `conventions=${conventions}`);
    await journalReplaceAll(admin, this.manifest.dumpId, 'form', this.manifest.target.tables.map((t) => [sourceKey(t), compareForm(t)] as const));
  }

  tableName(d: TableData): string {
    return d.target;
  }

  emptying(d: TableData): Emptying {
    const t = this.bySource.get(sourceKey(d));
    // TRUNCATE is DDL: the journal rows go after it; a crash in between leaves them, and the next run empties again.
    return { name: d.target, emptySql: t ? `TRUNCATE TABLE ${tableMy(t)}` : 'DO 0', transactional: false };
  }

  job(table: TargetTable, _d: TableData, chunk: ChunkRecord, onBytes: (bytes: number) => void): ChunkJob {
    return { table, chunk, onBytes };
  }

  async finish(admin: MyConnection, sessions: readonly MyConnection[], emit: (e: LoadEvent) => void, signal?: AbortSignal): Promise<void> {
    const steps = await pendingSteps(admin, this.manifest.dumpId, postDataSteps(this.manifest.target.tables));
    emit({ type: 'post-data-start', steps: steps.length });
    for (const kind of ['indexes', 'foreign-keys', 'auto-increment'] as const) {
      const ofKind = steps.filter((s) => s.kind === kind);
      await inParallel(sessions.length > 0 ? sessions : [admin], () => {
        if (signal?.aborted) throw interrupted();
        return ofKind.shift();
      }, async (conn, s) => {
        await runPostDataStep(conn, this.database, this.manifest.dumpId, s);
        emit({ type: 'post-data', kind: s.kind, table: s.table.name });
      });
    }
  }
}
