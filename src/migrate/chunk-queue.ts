import type { ChunkRecord } from '../model/dump-format/manifest.js';
import type { TableData } from '../model/dump-format/manifest.js';
import type { ChunkSource } from '../load/session.js';

type Item = { readonly data: TableData; readonly chunk: ChunkRecord };

/**
 * The chunks a running dump has finished, waiting to be loaded: records only (the bytes are on disk), so
 * it stays small however far the load falls behind. A chunk is handed out once; chunks the load's journal
 * already holds are passed over. close() lets the loaders drain what is queued; stop() ends them now.
 */
export class ChunkQueue implements ChunkSource {
  private readonly items: Item[] = [];
  private readonly waiting: Array<(item: Item | undefined) => void> = [];
  private readonly seen = new Set<string>();
  private closed = false;
  private stopped = false;
  loaded: ReadonlySet<string> = new Set();

  /** `passedOver` hears of each chunk the journal already held (for progress displays). */
  constructor(private readonly passedOver: (data: TableData, chunk: ChunkRecord) => void = () => undefined) {}

  push(data: TableData, chunk: ChunkRecord): void {
    if (this.closed || this.seen.has(chunk.file)) return;
    this.seen.add(chunk.file);
    this.items.push({ data, chunk });
    this.wake();
  }

  close(): void {
    this.closed = true;
    this.wake();
  }

  stop(): void {
    this.stopped = true;
    this.close();
  }

  next(): Promise<Item | undefined> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.wake();
    });
  }

  private wake(): void {
    while (this.waiting.length > 0) {
      if (this.stopped) {
        this.waiting.shift()?.(undefined);
        continue;
      }
      let item = this.items.shift();
      while (item && this.loaded.has(item.chunk.file)) {
        this.passedOver(item.data, item.chunk);
        item = this.items.shift();
      }
      if (item) {
        this.waiting.shift()?.(item);
      } else if (this.closed) {
        this.waiting.shift()?.(undefined);
      } else {
        return;
      }
    }
  }
}
