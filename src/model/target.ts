/** The MySQL/MariaDB schema pgmy will create, independent of the server flavour until rendered. */

/** How LOAD DATA assigns a column from its TSV field. */
export type LoadTransform = 'direct' | 'unhex';

export interface TargetColumn {
  readonly name: string;
  /** The MySQL type, e.g. `BIGINT`, `VARCHAR(40)`, `DATETIME(6)`; string types carry the table's collation. */
  readonly sqlType: string;
  /** Character columns take the table's binary, no-pad collation (rendered per server flavour). */
  readonly textual: boolean;
  readonly nullable: boolean;
  readonly defaultSql?: string;
  readonly autoIncrement: boolean;
  readonly comment?: string;
  /** The PostgreSQL type it came from, as PostgreSQL prints it. */
  readonly sourceType: string;
  /** Which type rule chose it, and what changed it afterwards. */
  readonly rule: ColumnRule;
  /** The expression in `COPY (SELECT …)` that renders the value the way LOAD DATA reads it. */
  readonly selectExpr: string;
  readonly load: LoadTransform;
  /** PostgreSQL condition under which the value is written as NULL (--on-unrepresentable=null). */
  readonly nullWhen?: string;
  /** MariaDB: `DEFAULT NEXT VALUE FOR` this sequence (a nextval default that is not AUTO_INCREMENT); MySQL has none. */
  readonly sequenceDefault?: SequenceName;
  /** Bytes the column can take in a row (for the 65,535-byte row limit and the 3,072-byte key limit). */
  readonly maxBytes: number;
  /** Whether MySQL can index it only through a prefix (TEXT/BLOB) or not at all (JSON). */
  readonly indexable: 'yes' | 'prefix' | 'no';
}

/**
 * Why a column has its MySQL type and its values their form, as data that later stages read (verify's
 * comparison, data-only's conversions, the split) and never re-parse.
 */
export interface ColumnRule {
  /**
   * The type rule whose value form the column has: a type rule's id (`integer`, `bytea`, …), `enum`,
   * `enum-as-varchar`, `array`, `composite`, `range`, `hstore`, `text-form`, or `unsupported` (a blocker).
   */
  readonly kind: string;
  /** `text`: the values are PostgreSQL's text form in LONGTEXT (--on-unrepresentable=text). */
  readonly transform: 'native' | 'text';
  /** `null`: values MySQL cannot hold become NULL (--on-unrepresentable=null); `row-size`: moved to LONGTEXT to fit a row. */
  readonly flags: ReadonlyArray<'null' | 'row-size'>;
  /** Set when the user cast the column (--cast): the MySQL type pgmy itself would have chosen. */
  readonly castFrom?: string;
}

/** A rule as plan and the reports show it: `bigint`, `numeric+null`, `cast (pgmy: BIGINT by bigint)`. */
export function describeRule(r: ColumnRule): string {
  const own = [r.kind, ...(r.transform === 'text' ? ['text'] : []), ...r.flags.filter((f) => f === 'null')].join('+');
  const cast = r.castFrom !== undefined ? `cast (pgmy: ${r.castFrom} by ${own})` : own;
  return r.flags.includes('row-size') ? `${cast}+row-size` : cast;
}

export interface TargetIndexPart {
  readonly column: string;
  readonly prefixChars?: number;
  readonly descending: boolean;
}

export interface TargetIndex {
  readonly name: string;
  readonly unique: boolean;
  readonly parts: readonly TargetIndexPart[];
  /** What it came from in PostgreSQL (constraint or index). */
  readonly source: string;
}

export interface TargetForeignKey {
  readonly name: string;
  /** The referenced table's database, when it is not the target URL's. */
  readonly refDatabase?: string;
  readonly columns: readonly string[];
  readonly refTable: string;
  readonly refColumns: readonly string[];
  readonly onDelete: string;
  readonly onUpdate: string;
}

/** An invisible virtual column that enforces a partial unique index: `IF(condition, column, NULL)`. */
export interface HiddenColumn {
  readonly name: string;
  readonly sqlType: string;
  readonly textual: boolean;
  /** The MySQL expression, `IF(<condition>, \`column\`, NULL)`. */
  readonly expr: string;
}

export interface TargetTable {
  readonly sourceSchema: string;
  readonly sourceName: string;
  /** The MySQL database, when not the one named in the target URL (a second schema goes to its own). */
  readonly database?: string;
  readonly name: string;
  readonly columns: readonly TargetColumn[];
  /** Generated, invisible columns for partial unique indexes: created with the table, never loaded or compared. */
  readonly hiddenColumns?: readonly HiddenColumn[];
  readonly primaryKey?: readonly string[];
  /** Indexes created with the table (only what AUTO_INCREMENT needs besides the primary key). */
  readonly tableIndexes: readonly TargetIndex[];
  /** Unique and secondary indexes, built after the data. */
  readonly indexes: readonly TargetIndex[];
  readonly foreignKeys: readonly TargetForeignKey[];
  readonly autoIncrement?: { readonly column: string; readonly next: string };
  /** CHECK constraints MySQL can express with the same meaning (from the table and from domains). */
  readonly checks?: ReadonlyArray<{ readonly name: string; readonly expr: string }>;
  readonly comment?: string;
}

export type NoticeLevel = 'info' | 'warning' | 'error';

/** Something the user should know: a change of form (`info`), something not carried (`warning`), or a blocker. */
export interface Notice {
  readonly level: NoticeLevel;
  readonly table?: string;
  readonly column?: string;
  readonly object?: string;
  readonly message: string;
}

export interface SequenceName {
  /** The MySQL database, when not the one named in the target URL. */
  readonly database?: string;
  readonly name: string;
}

/** A PostgreSQL sequence made again as a MariaDB SEQUENCE, standing where it stood at the dump (MySQL has no sequences). */
export interface TargetSequence extends SequenceName {
  readonly source: string;
  /** START WITH: the value the next nextval() returns. */
  readonly start: string;
  readonly increment: string;
  readonly min: string;
  readonly max: string;
  readonly cycle: boolean;
  readonly cache: string;
}

export interface TargetSchema {
  readonly tables: readonly TargetTable[];
  /** MariaDB SEQUENCE objects, created before the tables (their defaults name them). */
  readonly sequences?: readonly TargetSequence[];
  /** A collation the user chose for text instead of the binary no-pad default (--text-collation). */
  readonly textCollation?: string;
  readonly notices: readonly Notice[];
}

export type ServerFlavor = 'mysql' | 'mariadb';

/** The source table a target table or data entry comes from: `schema.table`, unique in a dump. */
export function sourceKey(t: { readonly sourceSchema: string; readonly sourceName: string } | { readonly schema: string; readonly name: string }): string {
  return 'sourceSchema' in t ? `${t.sourceSchema}.${t.sourceName}` : `${t.schema}.${t.name}`;
}
