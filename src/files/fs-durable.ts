import { renameSync } from 'node:fs';
import { OpenFile } from './open-file.js';

/** fsyncs a directory so that a rename inside it survives a crash. */
export async function fsyncDir(dir: string): Promise<void> {
  const folder = OpenFile.forSync(dir);
  try {
    await folder.sync();
  } finally {
    folder.close();
  }
}

/** Writes a file whole or not at all: a temporary name, fsync, rename, fsync of the folder. */
export async function writeFileAtomic(path: string, data: string | Buffer | readonly Buffer[], dir: string): Promise<void> {
  const tmp = `${path}.partial`;
  const file = OpenFile.create(tmp);
  try {
    file.writeAll(typeof data === 'string' ? [Buffer.from(data)] : Buffer.isBuffer(data) ? [data] : data);
    await file.sync();
  } finally {
    file.close();
  }
  // In the calling thread, as OpenFile opens and closes.
  renameSync(tmp, path);
  await fsyncDir(dir);
}
