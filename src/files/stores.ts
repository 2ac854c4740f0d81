import { LocalStore } from './local-store.js';
import { dumpLocation, isRemoteLocation, type DumpStore, type RemoteStore, type S3Settings } from './store.js';

const open = new Map<string, Promise<DumpStore>>();
let s3Settings: S3Settings = {};

/**
 * How the stores opened from now on reach S3 (an endpoint for S3-compatible servers); the AWS SDK reads
 * the rest (credentials, region, profile) from AWS_* variables and ~/.aws as the AWS CLI does.
 */
export function useS3Settings(settings: S3Settings): void {
  if (settings.endpoint === s3Settings.endpoint) return;
  s3Settings = { ...settings };
  for (const key of [...open.keys()]) if (isRemoteLocation(key)) open.delete(key);
}

/** The store of a dump location: a folder, or an s3:// URL (the AWS SDK is loaded only then). */
export function openStore(location: string): Promise<DumpStore> {
  const key = dumpLocation(location);
  let store = open.get(key);
  if (!store) {
    store = isRemoteLocation(key)
      ? import('./s3/s3-store.js').then((m) => m.s3Store(key, s3Settings))
      : Promise.resolve(new LocalStore(key));
    store.catch(() => open.delete(key));
    open.set(key, store);
  }
  return store;
}

export const isRemote = (store: DumpStore): store is RemoteStore => store.remote;
