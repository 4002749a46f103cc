/**
 * A FIFO mutex over the one SQLite connection. better-sqlite3 runs each
 * statement to completion synchronously, so only a transaction, which spans
 * awaits, ever needs to hold it; single statements just queue behind.
 */
export class ConnectionLock {
  private held = false;
  private readonly waiting: (() => void)[] = [];

  get isHeld(): boolean {
    return this.held;
  }

  /** Resolves once the caller holds the lock; callers are served in arrival order. */
  acquire(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.waiting.push(resolve);
    });
  }

  release(): void {
    const next = this.waiting.shift();
    // Handing over directly keeps `held` true, so a newcomer cannot jump the queue.
    if (next === undefined) this.held = false;
    else next();
  }
}
