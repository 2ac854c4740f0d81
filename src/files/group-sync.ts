import { renameSync } from 'node:fs';
import type { OpenFile } from './open-file.js';
import { fsyncDir } from './fs-durable.js';

/** A written file waiting to be made durable under its final name. */
export interface PendingFile {
  readonly file: OpenFile;
  /** Where it was written, and the name it gets once its bytes are on disk. */
  readonly tmp: string;
  readonly final: string;
  /** Folders whose entries must be on disk too: the file's own, and its parent for a folder made by this run. */
  readonly dirs: readonly string[];
}

interface Entry extends PendingFile {
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

/** Files queued at most before `add` waits for a group to be done: each holds an open file handle. */
const MAX_QUEUED = 256;

/**
 * Makes files durable in groups, as a database commits its log: a file added while a group is being synced
 * goes into the next group, whose fsyncs run side by side and share one fsync per folder. Each file is
 * fsynced, closed and only then renamed to its final name (a file under a final name is always whole), then
 * its folders are fsynced; the promise `add` returns settles then. One fsync of file and folder per small
 * table took two thirds of a 200-small-table dump; a worker now goes on reading while its files are synced.
 */
export class GroupSync {
  private queue: Entry[] = [];
  private running: Promise<void> | undefined;

  async add(pending: PendingFile): Promise<void> {
    while (this.queue.length >= MAX_QUEUED && this.running) await this.running;
    const done = new Promise<void>((resolve, reject) => this.queue.push({ ...pending, resolve, reject }));
    this.running ??= this.run();
    return done;
  }

  private async run(): Promise<void> {
    // Let the files added in the same turn join the first group.
    await Promise.resolve();
    while (this.queue.length > 0) {
      const group = this.queue.splice(0);
      const files = await Promise.allSettled(group.map(async (e) => {
        try {
          await e.file.sync();
        } finally {
          e.file.close();
        }
        // In the calling thread, as OpenFile opens and closes (no trip through the thread pool).
        renameSync(e.tmp, e.final);
      }));
      const dirs = [...new Set(group.flatMap((e, i) => (files[i]?.status === 'fulfilled' ? e.dirs : [])))];
      const synced = new Map((await Promise.allSettled(dirs.map(fsyncDir))).map((r, i) => [dirs[i] as string, r]));
      group.forEach((e, i) => {
        const own = files[i] as PromiseSettledResult<void>;
        const dir = e.dirs.map((d) => synced.get(d)).find((r) => r?.status === 'rejected');
        if (own.status === 'rejected') e.reject(own.reason);
        else if (dir?.status === 'rejected') e.reject(dir.reason);
        else e.resolve();
      });
    }
    this.running = undefined;
  }
}
