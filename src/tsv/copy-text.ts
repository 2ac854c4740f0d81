import { Transform, type TransformCallback } from 'node:stream';
import { LineSplitter } from './lines.js';

/**
 * Splits PostgreSQL COPY text output into rows of fields (null for \N), undoing COPY's escapes. Holds at
 * most one partial row between buffers.
 */
export class CopyRowParser extends Transform {
  private readonly lines = new LineSplitter();

  constructor() {
    super({ readableObjectMode: true, readableHighWaterMark: 256 });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.lines.push(chunk, (line) => this.push(parseCopyLine(line.toString('utf8'))));
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.lines.pending > 0) return done(new Error('COPY output ended in the middle of a row'));
    done();
  }
}

const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

export function parseCopyLine(line: string): Array<string | null> {
  return line.split('\t').map((field) => {
    if (field === '\\N') return null;
    if (!field.includes('\\')) return field;
    return field.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_m, e: string) => {
      if (e.startsWith('x') && e.length > 1) return String.fromCharCode(parseInt(e.slice(1), 16));
      if (/^[0-7]+$/.test(e)) return String.fromCharCode(parseInt(e, 8));
      return ESCAPES[e] ?? e;
    });
  });
}
