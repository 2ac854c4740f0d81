const NEWLINE = 0x0a;

/**
 * Calls `onLine` for every complete line of `tail` followed by `chunk` (without its newline) and returns
 * what follows the last newline: the partial line to hold until the next chunk.
 */
export function eachLine(tail: Buffer, chunk: Buffer, onLine: (line: Buffer) => void): Buffer {
  const buf = tail.length > 0 ? Buffer.concat([tail, chunk]) : chunk;
  let start = 0;
  for (let nl = buf.indexOf(NEWLINE); nl !== -1; nl = buf.indexOf(NEWLINE, start)) {
    onLine(buf.subarray(start, nl));
    start = nl + 1;
  }
  return Buffer.from(buf.subarray(start));
}
