interface Waiter<T> {
  readonly item: T;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit: callers submit items and wait; one writer takes everything
 * queued so far and makes it durable in one write (one fsync), then resolves
 * each caller of that batch, or rejects them all with the write's error.
 *
 * The first write of a burst waits for `setImmediate`, so that the requests
 * Node has already read off the network in this turn of the event loop join
 * it: SQLite commits synchronously, and without the wait every batch would
 * hold one item. Items are written in submission order, one batch at a time.
 *
 * @example
 * const commit = new GroupCommit((entries) => writeInOneTransaction(entries), 1024);
 * await commit.submit(entry); // durable now
 */
export class GroupCommit<T> {
  #queue: Waiter<T>[] = [];
  #running = false;

  constructor(
    private readonly write: (items: readonly T[]) => Promise<void>,
    private readonly maxBatch: number,
  ) {
    if (!Number.isSafeInteger(maxBatch) || maxBatch < 1) {
      throw new TypeError('maxBatch must be a positive integer');
    }
  }

  /** Items waiting for the next write. */
  get pending(): number {
    return this.#queue.length;
  }

  /** Resolves once `item` is durable; rejects with the error of the write that carried it. */
  submit(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      if (!this.#running) {
        this.#running = true;
        setImmediate(() => void this.#drain());
      }
    });
  }

  /** Resolves once everything submitted so far has been written (or failed). */
  async drained(): Promise<void> {
    while (this.#running) await new Promise((resolve) => setImmediate(resolve));
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.maxBatch);
      try {
        await this.write(batch.map((waiter) => waiter.item));
        for (const waiter of batch) waiter.resolve();
      } catch (error) {
        for (const waiter of batch) waiter.reject(error);
      }
      // Let the requests that arrived during the write join the next batch.
      if (this.#queue.length > 0) await new Promise((resolve) => setImmediate(resolve));
    }
    this.#running = false;
  }
}
