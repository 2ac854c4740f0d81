import { createReadStream } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { writeFileAtomic } from './fs-durable.js';
import type { DumpStore } from './store.js';

const READ_BYTES = 1 << 20;
const MIN_READ_BYTES = 16 << 10;

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

  writeWhole(name: string, data: string | readonly Buffer[]): Promise<void> {
    const path = this.where(name);
    return writeFileAtomic(path, data, dirname(path));
  }

  entries(): Promise<string[] | undefined> {
    return readdir(this.location).catch(missing);
  }

  async size(name: string): Promise<number | undefined> {
    return (await stat(this.where(name)).catch(missing))?.size;
  }

  openRead(name: string, expectedBytes?: number): Readable {
    // A file stream allocates a buffer of its highWaterMark for every read, the one that finds the end too:
    // 1 MiB twice for each 20 KB chunk, and that churn of memory outside the heap made V8 run a full GC every
    // few tables (339 of them loading 3000 small tables). Reads are sized to the file, up to 1 MiB.
    const size = expectedBytes === undefined ? READ_BYTES : Math.min(READ_BYTES, Math.max(MIN_READ_BYTES, expectedBytes + 1));
    return createReadStream(this.where(name), { highWaterMark: size });
  }

  async removeFiles(dir: string, prefix: string): Promise<void> {
    for (const f of (await readdir(this.where(dir)).catch(missing)) ?? []) {
      if (f.startsWith(prefix)) await rm(join(this.where(dir), f), { force: true });
    }
  }
}
