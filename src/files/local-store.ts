import { createReadStream } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { writeFileAtomic } from './fs-durable.js';
import type { DumpStore } from './store.js';

const missing = (err: NodeJS.ErrnoException): undefined => {
  if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return undefined;
  throw err;
};

/** A dump folder on a local (or mounted) file system; whole-file writes are fsynced and renamed into place. */
export class LocalStore implements DumpStore {
  readonly remote = false;

  constructor(readonly location: string) {}

  where(name: string): string {
    return join(this.location, name);
  }

  readText(name: string): Promise<string | undefined> {
    return readFile(this.where(name), 'utf8').catch(missing);
  }

  writeWhole(name: string, data: string): Promise<void> {
    const path = this.where(name);
    return writeFileAtomic(path, data, dirname(path));
  }

  entries(): Promise<string[] | undefined> {
    return readdir(this.location).catch(missing);
  }

  async size(name: string): Promise<number | undefined> {
    return (await stat(this.where(name)).catch(missing))?.size;
  }

  openRead(name: string): Readable {
    return createReadStream(this.where(name), { highWaterMark: 1 << 20 });
  }

  async removeFiles(dir: string, prefix: string): Promise<void> {
    for (const f of (await readdir(this.where(dir)).catch(missing)) ?? []) {
      if (f.startsWith(prefix)) await rm(join(this.where(dir), f), { force: true });
    }
  }
}
