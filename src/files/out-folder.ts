import { access, constants, mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { PgmyError } from '../errors.js';
import { isRemoteLocation } from './store.js';
import { isRemote, openStore } from './stores.js';

/**
 * Checks that `out` can be the dump folder — an existing, writable folder, or a path whose nearest existing
 * ancestor is a writable folder — without creating anything; returns the folders to create, outermost first.
 * Done before any connection: a bad --out used to be found after the snapshot and its locks were taken (and
 * Node's recursive mkdir loops for ever under /proc).
 */
export async function checkOutFolder(out: string): Promise<string[]> {
  if (isRemoteLocation(out)) {
    const store = await openStore(out);
    if (isRemote(store)) await store.check();
    return [];
  }
  const missing: string[] = [];
  for (let dir = resolve(out); ; dir = dirname(dir)) {
    const s = await stat(dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw refused(out, `${dir} cannot be read (${err.code ?? err.message})`, err);
    });
    if (s === undefined) {
      if (dirname(dir) === dir) throw refused(out, 'no part of the path exists');
      missing.unshift(dir);
      continue;
    }
    if (!s.isDirectory()) throw refused(out, `${dir} is a file, not a folder`);
    const writable = await access(dir, constants.W_OK | constants.X_OK).then(() => true, () => false);
    if (!writable) throw refused(out, `${dir} is not writable by this user`);
    return missing;
  }
}

/** Checks `out` (see checkOutFolder) and creates what is missing of it, one level at a time. */
export async function prepareOutFolder(out: string): Promise<void> {
  if (isRemoteLocation(out)) {
    // A bucket has no folders to create; the uploads a killed run left unfinished are aborted.
    const store = await openStore(out);
    if (isRemote(store)) {
      await store.check();
      await store.abortStaleUploads();
    }
    return;
  }
  for (const dir of await checkOutFolder(out)) {
    await mkdir(dir, { mode: 0o700 }).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw refused(out, `${dir} cannot be created (${err.code ?? err.message})`, err);
    });
  }
}

function refused(out: string, why: string, cause?: unknown): PgmyError {
  return new PgmyError('out-folder', `--out ${out} cannot be the dump folder: ${why}.`, {
    hint: 'Choose a folder you can write to (it is created when missing).', ...(cause !== undefined ? { cause } : {}),
  });
}
