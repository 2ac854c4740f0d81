import type { MyConnection } from '../target/mysql/connect.js';

/**
 * Runs `work` on the connections, each taking the next item when it is free, until `take` has none left;
 * the first failure (of `take` or `work`) stops new items being taken, and is thrown once all have stopped.
 */
export async function inParallel<T>(conns: readonly MyConnection[], take: () => Promise<T | undefined> | T | undefined, work: (c: MyConnection, item: T) => Promise<void>): Promise<void> {
  let failed: { err: unknown } | undefined;
  await Promise.all(conns.map(async (conn) => {
    while (!failed) {
      try {
        const item = await take();
        if (item === undefined) return;
        await work(conn, item);
      } catch (err) {
        failed ??= { err };
      }
    }
  }));
  if (failed) throw failed.err;
}
