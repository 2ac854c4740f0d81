import type { Table } from '../model/catalog.js';
import type { TargetColumn, TargetIndex } from '../model/target.js';
import type { Note } from './map-column.js';

/** InnoDB's most columns per table (MySQL 8 and MariaDB), and most indexes per table. */
export const MAX_COLUMNS = 1017;
export const MAX_INDEXES = 64;

/**
 * The limits CREATE TABLE and the post-data ALTERs would hit, checked before any data moves, so that a table
 * the server cannot create is a named blocker in plan rather than an error after the data is in.
 */
export function checkTableLimits(
  t: { readonly columns: readonly TargetColumn[]; readonly indexes: readonly TargetIndex[]; readonly primaryKey: boolean; readonly foreignKeys: number },
  note: Note,
): void {
  if (t.columns.length === 0) {
    note({ level: 'error', message: 'the table has no columns, which MySQL does not allow (CREATE TABLE needs one); leave it out with --exclude-tables' });
  }
  if (t.columns.length > MAX_COLUMNS) {
    note({ level: 'error', message: `the table has ${t.columns.length} columns; InnoDB allows at most ${MAX_COLUMNS}: split it in PostgreSQL or leave it out with --exclude-tables` });
  }
  // A foreign key may need an index of its own, which InnoDB adds when none leads with its columns.
  const indexes = t.indexes.length + (t.primaryKey ? 1 : 0);
  if (indexes > MAX_INDEXES) {
    note({ level: 'error', message: `the table would have ${indexes} indexes; InnoDB allows at most ${MAX_INDEXES}` });
  } else if (indexes + t.foreignKeys > MAX_INDEXES) {
    note({ level: 'warning', message: `the table has ${indexes} indexes and ${t.foreignKeys} foreign keys; if InnoDB must add an index for each key it passes its limit of ${MAX_INDEXES}` });
  }
}

/** Table inheritance has no MySQL counterpart: each table is carried with its own rows only, and plan says so. */
export function noteInheritance(t: Table, note: Note): void {
  if (t.children && t.children.length > 0) {
    note({ level: 'warning', message: `tables ${t.children.join(', ')} inherit from this one: in PostgreSQL a SELECT on it also returns their rows; MySQL has no inheritance, so it holds only its own rows (each child is carried as a table of its own)` });
  }
  if (t.inherits && t.inherits.length > 0) {
    note({ level: 'warning', message: `inherits from ${t.inherits.join(', ')}: carried as a table of its own with every column; its rows are no longer seen through the parent` });
  }
}
