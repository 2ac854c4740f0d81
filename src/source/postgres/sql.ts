import { quotePgQualified } from './quote.js';

/** A table as PostgreSQL is asked to read it. */
export interface SourceRelation {
  readonly schema: string;
  readonly name: string;
  /** A partitioned table is read with its partitions; an ordinary one without its inheritance children. */
  readonly partitioned: boolean;
}

/** The one FROM clause every read of a source table uses: `ONLY "schema"."table"` unless partitioned. */
export function fromSql(r: SourceRelation, alias?: string): string {
  return `${r.partitioned ? '' : 'ONLY '}${quotePgQualified(r.schema, r.name)}${alias !== undefined ? ` AS ${alias}` : ''}`;
}

export interface CopyOutQuery {
  readonly select: readonly string[];
  readonly from: SourceRelation;
  readonly alias?: string;
  readonly where?: string;
  readonly orderBy?: readonly string[];
}

/** The one `COPY (SELECT …) TO STDOUT` builder: dump, verify and plan's collision check all stream through it. */
export function copyOutSql(q: CopyOutQuery): string {
  const where = q.where ? ` WHERE ${q.where}` : '';
  const order = q.orderBy && q.orderBy.length > 0 ? ` ORDER BY ${q.orderBy.join(', ')}` : '';
  return `COPY (SELECT ${q.select.join(', ')} FROM ${fromSql(q.from, q.alias)}${where}${order}) TO STDOUT`;
}
