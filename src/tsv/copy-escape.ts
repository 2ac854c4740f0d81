import { Transform, type TransformCallback } from 'node:stream';
import { hasRowCount, rowsIn, withRows } from './row-counts.js';

const BACKSLASH = 0x5c;
const LETTER_F = 0x66;
const LETTER_V = 0x76;
const FORM_FEED = 0x0c;
const VERTICAL_TAB = 0x0b;

/** CopyToLoadData's rewriting (see there) without a stream around it, for a caller that moves the bytes itself. */
export class CopyEscapes {
  private pendingBackslash = false;

  /** The rewritten bytes of one buffer, given the state left by the previous one. */
  rewrite(chunk: Buffer): Buffer {
    const out = this.walk(chunk);
    // The rows ending in it are the same: only escapes change, and a held-back backslash is not a row's end.
    return out === chunk || !hasRowCount(chunk) ? out : withRows(out, rowsIn(chunk));
  }

  /** What is left once the last buffer is rewritten. */
  end(): Buffer | undefined {
    // COPY never ends its output with a lone backslash; pass it on so that the next stage sees the damage.
    const left = this.pendingBackslash ? Buffer.from([BACKSLASH]) : undefined;
    this.pendingBackslash = false;
    return left;
  }

  private walk(chunk: Buffer): Buffer {
    let start = 0;
    const pieces: Buffer[] = [];
    if (this.pendingBackslash) {
      this.pendingBackslash = false;
      if (chunk.length === 0) {
        this.pendingBackslash = true;
        return chunk;
      }
      const c = chunk[0];
      pieces.push(c === LETTER_F ? Buffer.from([FORM_FEED]) : c === LETTER_V ? Buffer.from([VERTICAL_TAB]) : Buffer.from([BACKSLASH, c as number]));
      start = 1;
    }
    let from = start;
    for (let i = chunk.indexOf(BACKSLASH, start); i !== -1; i = chunk.indexOf(BACKSLASH, i)) {
      if (i + 1 >= chunk.length) {
        pieces.push(chunk.subarray(from, i));
        this.pendingBackslash = true;
        return concat(pieces, chunk, start, i, true);
      }
      const c = chunk[i + 1];
      if (c === LETTER_F || c === LETTER_V) {
        pieces.push(chunk.subarray(from, i), Buffer.from([c === LETTER_F ? FORM_FEED : VERTICAL_TAB]));
        from = i + 2;
      }
      i += 2;
    }
    pieces.push(chunk.subarray(from));
    return concat(pieces, chunk, start, chunk.length, false);
  }
}

/**
 * Rewrites COPY text output into what LOAD DATA reads back unchanged.
 *
 * The two formats agree on `\\`, `\N`, `\t`, `\n`, `\r` and `\b`, but COPY also writes `\f` and `\v`, which
 * LOAD DATA reads as the letters `f` and `v`. LOAD DATA takes any other byte literally, so those two escapes
 * become the raw bytes 0x0C and 0x0B. A buffer may end between a backslash and its letter: that backslash is
 * held back until the next buffer. Buffers without those escapes pass through without a copy.
 */
export class CopyToLoadData extends Transform {
  private readonly escapes = new CopyEscapes();

  constructor(highWaterMark = 1 << 20) {
    super({ highWaterMark, writableHighWaterMark: highWaterMark });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    done(null, this.escapes.rewrite(chunk));
  }

  override _flush(done: TransformCallback): void {
    done(null, this.escapes.end());
  }

  /** Exposed for tests: the rewritten bytes of one buffer, given the state left by the previous one. */
  rewrite(chunk: Buffer): Buffer {
    return this.escapes.rewrite(chunk);
  }
}

function concat(pieces: Buffer[], original: Buffer, start: number, end: number, heldBack: boolean): Buffer {
  // Nothing rewritten: hand on the original bytes (or the part before a held-back backslash) without copying.
  if (start === 0 && pieces.length === 1) return heldBack ? original.subarray(0, end) : original;
  return Buffer.concat(pieces);
}
