import type { Readable, Writable } from 'node:stream';

/**
 * Asks for a secret. On a terminal the typing is not echoed; otherwise one line is read from the input,
 * so that a password can also be piped in. Resolves with the text without its line end.
 */
export function readSecret(question: string, input: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => void }, output: Writable): Promise<string> {
  output.write(question);
  return new Promise((resolve, reject) => {
    let value = '';
    const raw = Boolean(input.isTTY && input.setRawMode);
    if (raw) input.setRawMode?.(true);
    const finish = (err?: Error) => {
      input.off('data', onData);
      input.off('end', onEnd);
      if (raw) input.setRawMode?.(false);
      input.pause();
      output.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onEnd = () => finish(value.length > 0 ? undefined : new Error('no password was given (input ended)'));
    const onData = (d: Buffer | string) => {
      for (const ch of d.toString('utf8')) {
        if (ch === '\n' || ch === '\r') return finish();
        if (ch === '\u0003') return finish(new Error('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    input.on('data', onData);
    input.on('end', onEnd);
    input.resume();
  });
}
