import type { ColumnType } from '../model/catalog.js';
import type { LoadTransform } from '../model/target.js';
import type { ExistingColumn } from '../target/mysql/existing-columns.js';
import type { Conversion, Family } from './data-only/families.js';

/**
 * The type map, as data: each rule matches PostgreSQL base types by name and says which MySQL type keeps the
 * meaning, how the value is rendered in COPY's SELECT, and how LOAD DATA assigns it. The README's mapping
 * table is generated from this list (test/unit/readme-types.test.ts keeps them in step).
 */
export interface TypeChoice {
  readonly sqlType: string;
  readonly maxBytes: number;
  readonly textual?: boolean;
  readonly indexable?: 'yes' | 'prefix' | 'no';
  readonly note?: string;
  /** A char(n) column: compared with trailing spaces ignored, as PostgreSQL's bpchar is (a PAD SPACE collation). */
  readonly padSpace?: boolean;
  /** The rule kind recorded, when not the rule's own id (an enum carried as VARCHAR). */
  readonly kind?: string;
}

/** A kind of value MySQL cannot hold, found by scanning the source: `%s` is the quoted column. */
export interface ValueCheck {
  readonly id: string;
  readonly predicate: string;
  readonly problem: string;
  /** Only for these PostgreSQL types of the rule (a rule covering json and jsonb checks each its own way). */
  readonly pgTypes?: readonly string[];
  /** Only on servers of this version number or later, or before it (a function PostgreSQL added). */
  readonly sinceServer?: number;
  readonly beforeServer?: number;
}

/** What a scan of the column's data found, for rules whose choice depends on the values. */
export interface ColumnStats {
  readonly rows: number;
  /** numeric: most digits before the point, and after it. */
  readonly maxIntDigits?: number | null | undefined;
  readonly maxScale?: number | null | undefined;
  /** Key columns of unbounded text or bytea: the longest value, in characters (bytes for bytea). */
  readonly maxLength?: number | null | undefined;
}

export interface TypeRule {
  readonly id: string;
  readonly pg: readonly string[];
  /** The PostgreSQL side as the README shows it. */
  readonly pgDisplay: string;
  /** The MySQL side as the README shows it. */
  readonly mysqlDisplay: string;
  readonly why: string;
  /** Returns the MySQL type, or a string saying why the column cannot be carried. */
  readonly choose: (t: ColumnType, stats?: ColumnStats) => TypeChoice | string;
  /** Values of this type MySQL cannot hold; the source is scanned for them before any data moves. */
  readonly checks?: readonly ValueCheck[];
  /**
   * A cheap condition true for every value any of `checks` may find (and maybe for others): the dump's COPY
   * evaluates the checks only where it holds.
   */
  readonly prefilter?: string;
  /** Statistics `choose` needs from the data (numeric without precision). */
  readonly needsStats?: (t: ColumnType) => boolean;
  /** The expression in COPY's SELECT; `%s` stands for the quoted column. */
  readonly select?: string | ((t: ColumnType) => string);
  readonly load?: LoadTransform;
  /** How verify renders the value on both sides and judges two renderings equal (plain text when absent). */
  readonly verify?: VerifyForm;
  /** --data-only: the target column families the dumped value goes into, and how. */
  readonly into?: Partial<Record<Family, Conversion>>;
  /** --data-only: a conversion that depends on more than the family (a column's length). */
  readonly convert?: (f: Family, dst: ExistingColumn) => Conversion | undefined;
  /** A warning every column of this type gets (a type pgmy carries only as text). */
  readonly warning?: (t: ColumnType) => string;
}

/** How two texts are judged equal when the servers cannot print a value the same way. */
export type CompareKind = 'text' | 'decimal' | 'float4' | 'float8' | 'json';
/** How key values sort on both servers, for verify's ordered merge. */
export type KeyOrder = 'integer' | 'decimal' | 'number' | 'bytes';

/**
 * verify's SQL for a value: `{pg}` is the quoted PostgreSQL column, `{expr}` the column's COPY expression,
 * `{my}` the MySQL column read as text (itself for string columns: a function of a long value returns NULL
 * past max_allowed_packet), `{col}` the MySQL column as it is.
 */
export interface VerifyForm {
  readonly pg?: string;
  readonly my?: string;
  readonly compare?: CompareKind;
  readonly order?: KeyOrder;
  /** `hex`: the MySQL side is bytes, compared as lower-case hex. */
  readonly myForm?: 'hex';
}
