import { openStore } from '../files/stores.js';
import type { Catalog } from '../model/catalog.js';
import type { TableData } from '../model/dump-format/manifest.js';
import { sourceKey, type TargetSchema, type TargetTable } from '../model/target.js';
import type { PgClient } from '../source/postgres/connect.js';
import { rowOrders } from '../source/postgres/row-order.js';
import { partCount, planSplit, type Split } from '../source/postgres/split.js';
import { tableRelDir } from './dump-table.js';

/**
 * Each table's entry in the first manifest: kept whole from an earlier run, or to be dumped (in key-range or
 * page-range parts when large, keeping the parts and key ranges an earlier run finished), with its row order.
 */
export async function initialTableData(
  client: PgClient, catalog: Catalog, target: TargetSchema, reused: ReadonlyMap<string, TableData>, out: string, chunkSize: number,
): Promise<TableData[]> {
  const splits: Array<Split | undefined> = [];
  for (const [i, t] of target.tables.entries()) {
    const prev = reused.get(sourceKey(t));
    const st = catalog.tables[i];
    splits.push(prev?.complete ? undefined : prev?.split ?? (st ? await planSplit(client, t, st, chunkSize, catalog.server.versionNum) : undefined));
  }
  const orders = await rowOrders(client, target.tables.map((t, i) => ({ t, split: splits[i] })));
  const tableData: TableData[] = [];
  for (const [i, t] of target.tables.entries()) {
    const prev = reused.get(sourceKey(t));
    if (prev?.complete) {
      tableData.push(prev);
      continue;
    }
    const split = splits[i];
    const order = prev?.order ?? (orders[i]);
    if (!split) {
      tableData.push({ ...emptyData(t), order });
      continue;
    }
    if (!prev) await (await openStore(out)).removeFiles(tableRelDir(t), '');
    const parts = Array.from({ length: partCount(split) }, (_, n) => {
      const kept = prev?.parts?.[n];
      return kept?.complete ? kept : { complete: false, rows: 0, bytes: 0, chunks: [] };
    });
    tableData.push(assemble({ ...emptyData(t), order, split: { ...split, bounds: [...split.bounds] } }, parts));
  }
  return tableData;
}

/** A split table's entry from its parts: the complete parts' chunks in key order; complete when all are. */
export function assemble(base: TableData, parts: NonNullable<TableData['parts']>): TableData {
  const done = parts.filter((p) => p.complete);
  return {
    ...base, parts, complete: parts.every((p) => p.complete),
    rows: done.reduce((n, p) => n + p.rows, 0), bytes: done.reduce((n, p) => n + p.bytes, 0),
    chunks: done.flatMap((p) => p.chunks),
  };
}

function emptyData(t: TargetTable): TableData {
  return { schema: t.sourceSchema, name: t.sourceName, target: t.name, complete: false, rows: 0, bytes: 0, chunks: [] };
}
