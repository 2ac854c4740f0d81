import { to, type CopyToStreamQuery } from 'pg-copy-streams';
import { withRows } from '../../tsv/row-counts.js';

/** What this module reads of pg-copy-streams' stream: its parse state and the hand-back to node-postgres. */
interface CopyToInternals {
  /** Bytes not parsed yet, handed back to node-postgres when the COPY ends (its list type: push, take). */
  _buffer: { push(b: Buffer): void };
  _detach(): void;
  _cleanup(): void;
}

const COPY_DATA = 0x64;
const ERROR_RESPONSE = 0x45;
const HEADER = 5;
/** Messages that may come during copy-out without ending it (the protocol's CopyOutResponse, CopyData, ParameterStatus, NoticeResponse, NotificationResponse). */
const IN_COPY = new Set([0x48, COPY_DATA, 0x53, 0x4e, 0x41]);

const Base = (Object.getPrototypeOf(to('')) as { constructor: new (text: string) => CopyToStreamQuery }).constructor;

/**
 * pg-copy-streams' COPY TO stream with its message parser replaced. The original takes each message through a
 * list of buffers, several small objects per row: a third of pgmy's own CPU time in a dump went there and to
 * the collector. This one reads each socket buffer in place and moves the rows' bytes together within it
 * (a row longer than a read goes on in the next one: memory stays bounded whatever a value's size).
 * Attaching to the connection, the hand-back of the bytes after the COPY to node-postgres, errors and the
 * CommandComplete row count stay pg-copy-streams' own; `finished` gives that count once the server is ready.
 */
class FastCopyTo extends Base implements CountedCopy {
  /** Payload bytes of the current message still to come, its type, and a message header cut by a read. */
  private rest = 0;
  private code = 0;
  private carry: Buffer | undefined;
  private settle: (rows: number | undefined) => void = () => undefined;
  readonly finished = new Promise<number | undefined>((resolve) => { this.settle = resolve; });

  /** node-postgres calls this once the server is ready again: the COPY's CommandComplete (its row count) is in. */
  handleReadyForQuery(): void {
    this.settle(this.rowCount);
  }

  handleError(err: Error): void {
    this.settle(undefined);
    (Base.prototype as unknown as { handleError(e: Error): void }).handleError.call(this, err);
  }

  _parse(chunk: Buffer): boolean | undefined {
    const self = this as unknown as CopyToInternals;
    const buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = undefined;
    // The rows' bytes are moved up over the message headers within the buffer itself (copyWithin allows the
    // regions to overlap; what is written never passes what is still to be read, nor the bytes after the
    // COPY that go back to node-postgres): no second buffer per socket read for the collector to free.
    let o = 0;
    let i = 0;
    let rows = 0;
    let done = false;
    while (i < buf.length) {
      if (this.rest > 0) {
        const n = Math.min(this.rest, buf.length - i);
        if (this.code === COPY_DATA) {
          buf.copyWithin(o, i, i + n);
          o += n;
        }
        i += n;
        this.rest -= n;
        if (this.rest === 0) {
          // The server sends each row as one CopyData message (checked against its own count at the end).
          if (this.code === COPY_DATA) rows++;
          else if (!IN_COPY.has(this.code)) {
            done = true;
            break;
          }
        }
        continue;
      }
      if (buf[i] === ERROR_RESPONSE) {
        // node-postgres reads the error (and what follows) itself; the stream fails through handleError.
        self._buffer.push(buf.subarray(i));
        self._detach();
        return undefined;
      }
      if (buf.length - i < HEADER) {
        this.carry = Buffer.from(buf.subarray(i));
        break;
      }
      this.code = buf[i] as number;
      this.rest = buf.readUInt32BE(i + 1) - 4;
      i += HEADER;
      if (this.rest === 0 && !IN_COPY.has(this.code)) {
        done = true;
        break;
      }
    }
    const drained = o > 0 ? this.push(withRows(buf.subarray(0, o), rows)) : true;
    if (done) {
      self._buffer.push(buf.subarray(i));
      self._detach();
      this.push(null);
      self._cleanup();
    }
    return drained;
  }
}

/** A COPY TO stream that also says how many rows the server reported sending. */
export interface CountedCopy extends CopyToStreamQuery {
  /** The row count of the COPY's CommandComplete once the server is ready again; undefined if it failed. */
  readonly finished: Promise<number | undefined>;
}

/**
 * A `COPY … TO STDOUT` stream for `client.query`: the bytes of the rows, as the server writes them, each
 * buffer with the number of rows that end in it (tsv/row-counts.ts).
 */
export function copyTo(sql: string): CountedCopy {
  return new FastCopyTo(sql);
}
