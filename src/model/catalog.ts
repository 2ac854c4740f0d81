/**
 * The source catalog as pgmy sees it: dialect-neutral, read-only, JSON-serialisable (it is stored in the
 * manifest so that a load on another machine needs no connection to PostgreSQL).
 */

export interface SourceServer {
  readonly version: string;
  readonly versionNum: number;
  readonly database: string;
  readonly timeZone: string;
  readonly encoding: string;
  /** Decimals of a money value under the database's lc_monetary. */
  readonly moneyScale: number;
  /** The database's lc_ctype, which decides what lower() and upper() change (absent in manifests before 0.x). */
  readonly ctype?: string;
}

/** A column's type resolved through domains down to a base, enum, array, composite or range type. */
export interface ColumnType {
  /** As PostgreSQL prints it, e.g. `character varying(40)` or `public.mpaa_rating`. */
  readonly display: string;
  /** What kind of type the base is. */
  readonly kind: 'base' | 'enum' | 'array' | 'composite' | 'range' | 'multirange' | 'pseudo' | 'other';
  /** pg_type.typname of the base type (`int4`, `varchar`, `timestamptz`, …) or the enum's name. */
  readonly name: string;
  readonly schema: string;
  /** Type modifier of the base type, -1 when none. */
  readonly typmod: number;
  /** Set when the column's declared type is a domain: its qualified name and CHECK constraints. */
  readonly domain?: { readonly schema: string; readonly name: string; readonly checks: readonly string[]; readonly notNull?: boolean };
  readonly enumLabels?: readonly string[];
}

export interface Sequence {
  readonly schema: string;
  readonly name: string;
  readonly increment: string;
  /** The value the next nextval() will return, as a decimal string (bigint-safe). */
  readonly nextValue: string;
  /** MINVALUE, MAXVALUE, CYCLE and CACHE (absent in catalogs read before pgmy carried sequences). */
  readonly min?: string;
  readonly max?: string;
  readonly cycle?: boolean;
  readonly cache?: string;
  /** The dumping role may not read where it stands (no SELECT or USAGE on it): nextValue is only its START. */
  readonly unreadable?: boolean;
}

export interface Column {
  readonly name: string;
  readonly position: number;
  readonly type: ColumnType;
  readonly notNull: boolean;
  readonly defaultExpr?: string;
  readonly identity?: 'always' | 'by default';
  readonly generatedExpr?: string;
  readonly sequence?: Sequence;
  readonly comment?: string;
}

export interface KeyConstraint {
  readonly name: string;
  readonly columns: readonly string[];
  readonly deferrable: boolean;
}

export type FkAction = 'NO ACTION' | 'RESTRICT' | 'CASCADE' | 'SET NULL' | 'SET DEFAULT';

export interface ForeignKey {
  readonly name: string;
  readonly columns: readonly string[];
  readonly refSchema: string;
  readonly refTable: string;
  readonly refColumns: readonly string[];
  readonly onUpdate: FkAction;
  readonly onDelete: FkAction;
  readonly matchFull: boolean;
  readonly deferrable: boolean;
  readonly definition: string;
}

export interface IndexKeyPart {
  /** A column name, or undefined when the key part is an expression. */
  readonly column?: string;
  /** For a key on an expression: the expression, as pg_get_indexdef prints that key. */
  readonly expression?: string;
  readonly descending: boolean;
}

export interface Index {
  readonly name: string;
  readonly unique: boolean;
  readonly method: string;
  readonly keys: readonly IndexKeyPart[];
  readonly includeColumns: readonly string[];
  readonly predicate?: string;
  readonly expressions?: string;
  readonly definition: string;
}

export interface CheckConstraint {
  readonly name: string;
  readonly definition: string;
}

export interface Table {
  readonly schema: string;
  readonly name: string;
  readonly kind: 'table' | 'partitioned';
  readonly columns: readonly Column[];
  readonly primaryKey?: KeyConstraint;
  readonly uniques: readonly KeyConstraint[];
  readonly indexes: readonly Index[];
  readonly foreignKeys: readonly ForeignKey[];
  readonly checks: readonly CheckConstraint[];
  readonly exclusions: readonly CheckConstraint[];
  readonly estimatedRows: number;
  readonly estimatedBytes: number;
  /** Never analysed: estimatedRows is 0 for want of a figure. */
  readonly rowsUnknown?: boolean;
  /** estimatedRows is exact: plan's scan counted the rows in the snapshot. */
  readonly rowsCounted?: boolean;
  readonly comment?: string;
  /** Table inheritance (INHERITS, not partitions): the `schema.table` parents, and the children. */
  readonly inherits?: readonly string[];
  readonly children?: readonly string[];
  /** A partitioned table: what only some of its leaf partitions declare (not carried, listed). */
  readonly partitionOnly?: readonly PartitionOnly[];
}

/** A foreign key, check or index declared on some leaf partitions, not all. */
export interface PartitionOnly {
  readonly kind: 'foreign key' | 'check' | 'index';
  readonly name: string;
  readonly definition: string;
  readonly onLeaves: number;
  readonly leaves: number;
}

/** Something in the schemas that is not a table: listed by plan, not carried. */
export interface OtherObject {
  readonly kind: 'view' | 'materialized view' | 'trigger' | 'function' | 'procedure' | 'sequence' | 'extension table';
  readonly schema: string;
  readonly name: string;
}

export interface Catalog {
  readonly server: SourceServer;
  /** now() in the transaction that read the catalog, in UTC. */
  readonly snapshotTime: string;
  readonly schemas: readonly string[];
  readonly tables: readonly Table[];
  readonly otherObjects: readonly OtherObject[];
  /** Sequences no column uses (also listed in otherObjects), when whole schemas are read. */
  readonly sequences?: readonly Sequence[];
}

/** The name type rules and CHECK casts go by: the base type's (`int4`, `varchar`), else the kind (`array`, `enum`). */
export function typeName(t: ColumnType): string {
  return t.kind === 'base' ? t.name : t.kind;
}

export function qualifiedName(t: { readonly schema: string; readonly name: string }): string {
  return `${t.schema}.${t.name}`;
}
