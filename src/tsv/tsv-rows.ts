import { Transform, type TransformCallback } from 'node:stream';
import { LineSplitter } from './lines.js';

/** A field as LOAD DATA would read it: bytes, or null for \N. */
export type Field = Buffer | null;

const BACKSLASH = 0x5c;
const UNESCAPE: Record<number, number> = { 0x30: 0x00, 0x62: 0x08, 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09, 0x5a: 0x1a };

/** Splits a chunk into rows of fields with LOAD DATA's rules (tab, newline, backslash escapes). */
export class TsvRows extends Transform {
  private readonly lines = new LineSplitter();

  constructor() {
    super({ readableObjectMode: true, readableHighWaterMark: 64 });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.lines.push(chunk, (line) => this.push(parseTsvLine(line)));
    done();
  }

  override _flush(done: TransformCallback): void {
    done(this.lines.pending > 0 ? new Error('the chunk ends in the middle of a row') : null);
  }
}

export function parseTsvLine(line: Buffer): Field[] {
  const fields: Field[] = [];
  let start = 0;
  for (;;) {
    const tab = line.indexOf(0x09, start);
    const raw = line.subarray(start, tab === -1 ? line.length : tab);
    fields.push(unescapeField(raw));
    if (tab === -1) return fields;
    start = tab + 1;
  }
}

function unescapeField(raw: Buffer): Field {
  if (raw.length === 2 && raw[0] === BACKSLASH && raw[1] === 0x4e) return null;
  if (raw.indexOf(BACKSLASH) === -1) return raw;
  const out = Buffer.allocUnsafe(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i] as number;
    if (b === BACKSLASH && i + 1 < raw.length) {
      const next = raw[++i] as number;
      out[n++] = UNESCAPE[next] ?? next;
    } else {
      out[n++] = b;
    }
  }
  return out.subarray(0, n);
}
