import { createHash } from 'node:crypto';
import { openStore } from '../../files/stores.js';

export const sha256Hex = (text: string | Buffer): string => createHash('sha256').update(text).digest('hex');

/** The dump's .sql files against the sha256 the manifest recorded: a problem per file missing or changed. */
export async function checkSqlFiles(dir: string, files: Readonly<Record<string, string>> | undefined): Promise<Array<{ file: string; problem: string }>> {
  const problems: Array<{ file: string; problem: string }> = [];
  const store = await openStore(dir);
  for (const [file, sha] of Object.entries(files ?? {})) {
    const text = await store.readText(file).catch(() => undefined);
    if (text === undefined) problems.push({ file, problem: 'missing' });
    else if (sha256Hex(text) !== sha) problems.push({ file, problem: 'changed after the dump (sha256 differs from the manifest\'s)' });
  }
  return problems;
}
