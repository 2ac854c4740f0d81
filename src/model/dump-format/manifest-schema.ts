import { z } from 'zod';
import { FK_ACTIONS, isCheckExpr, isDefaultSql, isHiddenExpr, isSqlType } from './ddl-grammar.js';
import { FORMAT, FORMAT_VERSION } from './format.js';

/**
 * The manifest's shape, checked whole when a manifest is read (load, verify, inspect, a resumed dump). Kept
 * apart from writing it: a fresh dump never loads the schema library.
 */
export const chunkSchema = z.object({
  file: z.string().regex(/^data\/[^/\\]+\/(p\d{4}-)?\d{6}\.tsv(\.gz|\.zst)?$/, 'a chunk path under data/'),
  rows: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  tsvBytes: z.number().int().nonnegative().optional(),
});

const noticeSchema = z.object({
  level: z.enum(['info', 'warning', 'error']),
  table: z.string().optional(), column: z.string().optional(), object: z.string().optional(),
  message: z.string(),
});

const columnRuleSchema = z.object({
  kind: z.string(), transform: z.enum(['native', 'text']), flags: z.array(z.enum(['null', 'row-size'])), castFrom: z.string().optional(),
});

const sequenceNameSchema = z.object({ database: z.string().optional(), name: z.string() });
const bigintText = z.string().regex(/^-?\d{1,19}$/);
const sequenceSchema = sequenceNameSchema.extend({
  source: z.string(), start: bigintText, increment: bigintText, min: bigintText, max: bigintText, cycle: z.boolean(), cache: z.string().regex(/^\d{1,19}$/),
});

const targetColumnSchema = z.object({
  name: z.string(), sqlType: z.string().refine(isSqlType, 'a MySQL column type of the shapes pgmy writes'), textual: z.boolean(), nullable: z.boolean(),
  defaultSql: z.string().refine(isDefaultSql, 'a default of the shapes pgmy writes').optional(), autoIncrement: z.boolean(), comment: z.string().optional(),
  sequenceDefault: sequenceNameSchema.optional(),
  sourceType: z.string(), rule: columnRuleSchema, selectExpr: z.string(), load: z.enum(['direct', 'unhex']), nullWhen: z.string().optional(),
  maxBytes: z.number(), indexable: z.enum(['yes', 'prefix', 'no']),
});

const indexSchema = z.object({
  name: z.string(), unique: z.boolean(), source: z.string(),
  parts: z.array(z.object({ column: z.string(), prefixChars: z.number().int().positive().optional(), descending: z.boolean() })),
});

const targetTableSchema = z.object({
  sourceSchema: z.string(), sourceName: z.string(), database: z.string().optional(), name: z.string(),
  columns: z.array(targetColumnSchema).min(1),
  hiddenColumns: z.array(z.object({
    name: z.string(), sqlType: z.string().refine(isSqlType, 'a MySQL column type of the shapes pgmy writes'), textual: z.boolean(),
    expr: z.string().refine(isHiddenExpr, 'a generated column of the shape pgmy writes'),
  })).optional(),
  primaryKey: z.array(z.string()).optional(),
  tableIndexes: z.array(indexSchema), indexes: z.array(indexSchema),
  foreignKeys: z.array(z.object({
    name: z.string(), refDatabase: z.string().optional(), columns: z.array(z.string()), refTable: z.string(), refColumns: z.array(z.string()),
    onDelete: z.enum(FK_ACTIONS), onUpdate: z.enum(FK_ACTIONS),
  })),
  autoIncrement: z.object({ column: z.string(), next: z.string().regex(/^-?\d+$/) }).optional(),
  checks: z.array(z.object({ name: z.string(), expr: z.string().refine(isCheckExpr, 'a CHECK of the shapes pgmy writes') })).optional(),
  comment: z.string().optional(),
});

export const tableDataSchema = z.object({
  schema: z.string(), name: z.string(), target: z.string(),
  complete: z.boolean(),
  rows: z.number().int().nonnegative(), bytes: z.number().int().nonnegative(),
  chunks: z.array(chunkSchema),
  seconds: z.number().nonnegative().optional(),
  /** Rows written in primary-key order (ORDER BY) or as the heap holds them; absent in older dumps. */
  order: z.enum(['key', 'heap']).optional(),
  /** Key ranges of a table dumped in parts, and each part's own chunks. */
  split: z.object({ column: z.string(), bounds: z.array(z.string().regex(/^-?\d+$/)), kind: z.literal('ctid').optional() }).optional(),
  parts: z.array(z.object({ complete: z.boolean(), rows: z.number().int().nonnegative(), bytes: z.number().int().nonnegative(), chunks: z.array(chunkSchema) })).optional(),
});

export const manifestSchema = z.object({
  format: z.literal(FORMAT),
  formatVersion: z.literal(FORMAT_VERSION),
  dumpId: z.string().uuid(),
  tool: z.object({ name: z.string(), version: z.string() }),
  createdAt: z.string(),
  completedAt: z.string().optional(),
  complete: z.boolean(),
  source: z.object({
    url: z.string(),
    server: z.object({ version: z.string(), versionNum: z.number(), database: z.string(), timeZone: z.string(), encoding: z.string(), moneyScale: z.number(), ctype: z.string().optional() }),
    snapshotTime: z.string(),
    oneSnapshot: z.boolean(),
  }),
  options: z.object({
    schemas: z.array(z.string()), tables: z.array(z.string()), excludeTables: z.array(z.string()),
    chunkSize: z.number().int().positive(),
    conventions: z.enum(['django', 'rails']).optional(),
    /** The command that wrote the folder: its advice (run the same command again) names it. */
    command: z.enum(['dump', 'migrate']).optional(),
    compress: z.object({ name: z.enum(['none', 'gzip', 'zstd']), level: z.number().int() }).optional(),
  }),
  target: z.object({ tables: z.array(targetTableSchema), sequences: z.array(sequenceSchema).optional(), notices: z.array(noticeSchema), textCollation: z.string().optional() }),
  data: z.array(tableDataSchema),
  /** sha256 of schema.sql and post-data.sql, as written. */
  files: z.record(z.enum(['schema.sql', 'post-data.sql']), z.string().regex(/^[0-9a-f]{64}$/)).optional(),
  /** sha256 of the manifest itself, serialised without this field (absent in manifests of older pgmy). */
  checksum: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  /** The source catalog as read, for inspection; not needed to load. */
  catalog: z.unknown(),
});


/** The schema's complaint about a manifest, in words. */
export function whatIsWrong(error: z.ZodError): string {
  return z.prettifyError(error);
}
