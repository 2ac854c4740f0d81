import { Transform, type TransformCallback } from 'node:stream';
import { LineSplitter } from '../../tsv/lines.js';
import { tableMy } from '../../target/mysql/quote.js';
import { loadDataStatement, loadField, type LoadField } from '../../target/mysql/load-data.js';
import { PgmyError } from '../../errors.js';
import { intervalMicros } from '../../mapping/data-only/conversions.js';
import type { TableMatch } from '../../mapping/data-only/match.js';

/** LOAD DATA into an existing table: its own column names, skipped fields, conversions in SET clauses. */
export function dataOnlyLoadSql(m: TableMatch, database: string | undefined, fileName: string): string {
  const fields = m.columns.map((c): LoadField => {
    if (!c.target) return { kind: 'skip' };
    if (c.conversion.kind === 'sql') return { kind: 'set', column: c.target.name, expr: c.conversion.expr };
    return loadField({ load: 'direct', autoIncrement: c.target.autoIncrement }, c.target.name);
  });
  return loadDataStatement(fileName, tableMy({ database, name: m.targetName }), fields);
}

/** Whether any field of the table must be rewritten in JavaScript on its way to the server. */
export function needsRewrite(m: TableMatch): boolean {
  return m.columns.some((c) => c.conversion.kind === 'js');
}

/**
 * Rewrites the fields that need a JavaScript conversion, leaving every other byte as it is. A value that
 * cannot be converted fails the stream (and so the chunk), naming table, column and line.
 */
export class FieldRewriter extends Transform {
  private readonly lines = new LineSplitter();
  private line = 0;

  constructor(private readonly m: TableMatch, private readonly chunk: string) {
    super({ highWaterMark: 1 << 20 });
  }

  override _transform(data: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const out: Buffer[] = [];
    try {
      this.lines.push(data, (line) => {
        this.line++;
        out.push(this.rewrite(line), Buffer.from([0x0a]));
      });
    } catch (err) {
      return done(err as Error);
    }
    done(null, Buffer.concat(out));
  }

  override _flush(done: TransformCallback): void {
    done(this.lines.pending > 0 ? new Error('the chunk ends in the middle of a row') : null);
  }

  private rewrite(line: Buffer): Buffer {
    const fields = line.toString('utf8').split('\t');
    this.m.columns.forEach((c, i) => {
      const v = fields[i];
      if (c.conversion.kind !== 'js' || v === undefined || v === '\\N') return;
      try {
        fields[i] = intervalMicros(v);
      } catch (err) {
        throw new PgmyError('load-mismatch', `${this.m.table.name}.${c.source.name}, line ${this.line} of ${this.chunk}: ${(err as Error).message}; the chunk was rolled back.`, {
          table: this.m.table.name, column: c.source.name, chunk: this.chunk, row: this.line,
          hint: 'Change the target column to hold text, or change the value in PostgreSQL.',
        });
      }
    });
    return Buffer.from(fields.join('\t'), 'utf8');
  }
}
