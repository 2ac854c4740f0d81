import { randomUUID } from 'node:crypto';
import type { ChunkRecord, TableData } from '../model/dump-format/manifest.js';
import type { MyConnection } from '../target/mysql/connect.js';
import { claimChunk, ensureClaims, holdOwnerLock, renewClaims } from '../target/mysql/claims.js';
import { journalChunks } from '../target/mysql/journal.js';
import type { ChunkSource } from './session.js';

type Item = { readonly data: TableData; readonly chunk: ChunkRecord };

/**
 * The chunks of a dump (finished, or followed as it is written), handed out only once this loader has claimed each in the target (see
 * claims.ts), so that several `pgmy load` processes, on one machine or several, share one dump. Its own
 * connection makes the claims one at a time and renews the leases while chunks load.
 */
export class ClaimingSource implements ChunkSource {
  readonly owner = randomUUID();
  private queue: Item[];
  private all: readonly Item[];
  private chain: Promise<unknown> = Promise.resolve();
  private readonly renewal: NodeJS.Timeout;
  private renewFailure: Error | undefined;

  constructor(private readonly conn: MyConnection, private readonly dumpId: string, all: readonly Item[], private readonly leaseSeconds: number) {
    this.all = all;
    this.queue = [...all];
    this.renewal = setInterval(() => {
      this.serial(() => renewClaims(conn, dumpId, this.owner, leaseSeconds)).catch((err: unknown) => { this.renewFailure ??= err instanceof Error ? err : new Error(String(err)); });
    }, Math.max(250, (leaseSeconds * 1000) / 3));
    this.renewal.unref();
  }

  static async open(conn: MyConnection, dumpId: string, items: readonly Item[], leaseSeconds: number): Promise<ClaimingSource> {
    await ensureClaims(conn);
    const source = new ClaimingSource(conn, dumpId, items, leaseSeconds);
    try {
      await holdOwnerLock(conn, source.owner);
    } catch (err) {
      source.close();
      throw err;
    }
    return source;
  }

  get size(): number {
    return this.queue.length;
  }

  next(): Promise<Item | undefined> {
    return this.serial(async () => {
      if (this.renewFailure) throw this.renewFailure;
      for (let item = this.queue.shift(); item; item = this.queue.shift()) {
        if (await claimChunk(this.conn, this.dumpId, item.chunk.file, this.owner, this.leaseSeconds)) return item;
      }
      return undefined;
    });
  }

  /**
   * The chunks not yet in the journal, which other loaders hold or held: queued again, to be claimed once
   * their leases run out. None left: every chunk of the dump is loaded.
   */
  async requeueUnfinished(): Promise<number> {
    const journaled = await this.journal();
    this.queue = this.all.filter((i) => !journaled.has(i.chunk.file));
    return this.queue.length;
  }

  /** Every chunk of the dump the journal holds, with the sha256 it was loaded with. */
  journal(): Promise<Map<string, string | null>> {
    return this.serial(() => journalChunks(this.conn, this.dumpId));
  }

  /** The chunks to load from now on (a followed dump's grow as its tables complete); `requeueUnfinished` queues them. */
  offer(items: readonly Item[]): void {
    this.all = items;
  }

  close(): void {
    clearInterval(this.renewal);
  }

  private serial<T>(f: () => Promise<T>): Promise<T> {
    const run = this.chain.then(f, f);
    this.chain = run.catch(() => undefined);
    return run;
  }
}
