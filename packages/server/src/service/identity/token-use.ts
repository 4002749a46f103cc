import type { Store, TokenUse } from '../../store/store.js';

/** How often the last-use times of tokens are written, at most. */
export const TOKEN_USE_FLUSH_MS = 60_000;

/**
 * Tokens' last use, kept in memory and written in one batch at most once a
 * minute: authentication is on every request's path and must not write.
 */
export class TokenUseRecorder {
  #pending = new Map<string, Date>();
  #lastFlush: number | undefined;
  #flushing = false;

  record(tokenId: string, at: Date): void {
    this.#pending.set(tokenId, at);
    this.#lastFlush ??= at.getTime();
  }

  /** The last use not yet written, for views to show. */
  pending(tokenId: string): Date | undefined {
    return this.#pending.get(tokenId);
  }

  /** Whether a flush is due at `now` (and none is running). */
  due(now: Date): boolean {
    return (
      !this.#flushing &&
      this.#pending.size > 0 &&
      this.#lastFlush !== undefined &&
      now.getTime() - this.#lastFlush >= TOKEN_USE_FLUSH_MS
    );
  }

  /** Writes what is pending; on failure it stays pending for the next flush. */
  async flush(store: Store, now: Date): Promise<void> {
    if (this.#flushing || this.#pending.size === 0) return;
    this.#flushing = true;
    const batch = this.#pending;
    this.#pending = new Map();
    this.#lastFlush = now.getTime();
    try {
      const uses: TokenUse[] = [...batch].map(([tokenId, at]) => ({ tokenId, at }));
      await store.recordTokenUse(uses);
    } catch (error) {
      for (const [tokenId, at] of batch)
        if (!this.#pending.has(tokenId)) this.#pending.set(tokenId, at);
      throw error;
    } finally {
      this.#flushing = false;
    }
  }
}
