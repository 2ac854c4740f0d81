import type { Catalog, Column, ColumnType, Table } from '../../src/model/catalog.js';

/** Builders for synthetic catalogs, so that mapping can be tested without a server. */
export function type(name: string, typmod = -1, extra: Partial<ColumnType> = {}): ColumnType {
  return { display: name, kind: 'base', name, schema: 'pg_catalog', typmod, ...extra };
}

export function col(name: string, t: ColumnType, extra: Partial<Column> = {}): Column {
  return { name, position: 0, type: t, notNull: false, ...extra };
}

export function tbl(name: string, columns: Column[], extra: Partial<Table> = {}): Table {
  return {
    schema: 'public', name, kind: 'table', columns: columns.map((c, i) => ({ ...c, position: i + 1 })),
    uniques: [], indexes: [], foreignKeys: [], checks: [], exclusions: [], estimatedRows: 0, estimatedBytes: 0, ...extra,
  };
}

export function catalog(...tables: Table[]): Catalog {
  return {
    server: { version: '15', versionNum: 150000, database: 'x', timeZone: 'UTC', encoding: 'UTF8', moneyScale: 2 },
    snapshotTime: '2026-01-01T00:00:00Z', schemas: ['public'], tables, otherObjects: [],
  };
}

/** varchar(n) carries n + 4 in its typmod, as PostgreSQL stores it. */
export const varchar = (n: number) => type('varchar', n + 4);
export const numeric = (p: number, s: number) => type('numeric', ((p << 16) | s) + 4);
