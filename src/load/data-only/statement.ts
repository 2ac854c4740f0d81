import { Transform, type TransformCallback } from 'node:stream';
import { eachLine } from '../../tsv/lines.js';
import { literalMy, quoteMy, tableMy } from '../../target/mysql/quote.js';
import { PgmyError } from '../../errors.js';
import { intervalMicros } from '../../mapping/data-only/conversions.js';
import type { TableMatch } from '../../mapping/data-only/match.js';

/** LOAD DATA into an existing table: its own column names, skipped fields, conversions in SET clauses. */
export function dataOnlyLoadSql(m: TableMatch, database: string | undefined, fileName: string): string {
  const targets: string[] = [];
  const sets: string[] = [];
  m.columns.forEach((c, i) => {
    if (!c.target) {
      targets.push(`@skip${i}`);
    } else if (c.conversion.kind === 'sql' || c.target.autoIncrement) {
      // AUTO_INCREMENT columns go through a variable: see loadDataSql for the MariaDB behaviour this avoids.
      targets.push(`@v${i}`);
      sets.push(`${quoteMy(c.target.name)} = ${c.conversion.kind === 'sql' ? c.conversion.expr.replaceAll('@v', `@v${i}`) : `@v${i}`}`);
    } else {
      targets.push(quoteMy(c.target.name));
    }
  });
  return `LOAD DATA LOCAL INFILE ${literalMy(fileName)} INTO TABLE ${tableMy({ database, name: m.targetName })} CHARACTER SET utf8mb4 ` +
    `FIELDS TERMINATED BY '\\t' ENCLOSED BY '' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' STARTING BY '' ` +
    `(${targets.join(', ')})${sets.length > 0 ? ` SET ${sets.join(', ')}` : ''}`;
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
  private tail: Buffer = Buffer.alloc(0);
  private line = 0;

  constructor(private readonly m: TableMatch, private readonly chunk: string) {
    super({ highWaterMark: 1 << 20 });
  }

  override _transform(data: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const out: Buffer[] = [];
    try {
      this.tail = eachLine(this.tail, data, (line) => {
        this.line++;
        out.push(this.rewrite(line), Buffer.from([0x0a]));
      });
    } catch (err) {
      return done(err as Error);
    }
    done(null, Buffer.concat(out));
  }

  override _flush(done: TransformCallback): void {
    done(this.tail.length > 0 ? new Error('the chunk ends in the middle of a row') : null);
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
