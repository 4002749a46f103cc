import { ThrottledError } from '../core/errors.js';

/**
 * Where replay protection remembers the nonces it has seen. The memory store
 * serves one node; a scale-out deployment shares a Redis store (SET NX PX),
 * so a nonce used on one node is refused on every other.
 */
export interface ReplayStore {
  /**
   * Remembers `key` for `ttlMs`. Resolves true if it was new, false if it was
   * already remembered (a replay). Rejects with ThrottledError when the store
   * cannot remember more: refusing is safer than forgetting a live nonce.
   */
  claim(key: string, ttlMs: number): Promise<boolean>;
}

export interface MemoryReplayStoreOptions {
  /** Most nonces held at once; 1,000,000 by default (about 100 MB at worst). */
  readonly maxEntries?: number;
  /** Milliseconds since the epoch; injectable for tests. */
  readonly now?: () => number;
}

/**
 * Nonces in a Map kept in expiry order. Every caller passes the same TTL, so
 * insertion order is expiry order and purging stops at the first live entry:
 * amortised O(1) per claim, no timers.
 *
 * @example
 * const store = new MemoryReplayStore({ maxEntries: 100_000 });
 * if (!(await store.claim(`${principal.id}:${nonce}`, 600_000))) throw new AccessDeniedError('replayed request');
 */
export class MemoryReplayStore implements ReplayStore {
  readonly #expiries = new Map<string, number>();
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(options: MemoryReplayStoreOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 1_000_000;
    this.#now = options.now ?? Date.now;
    if (!Number.isInteger(this.#maxEntries) || this.#maxEntries < 1) {
      throw new TypeError('maxEntries must be a positive integer');
    }
  }

  get size(): number {
    return this.#expiries.size;
  }

  claim(key: string, ttlMs: number): Promise<boolean> {
    const now = this.#now();
    this.#purge(now);
    const expires = this.#expiries.get(key);
    if (expires !== undefined && expires > now) return Promise.resolve(false);
    // Expired but not yet purged (the clock stepped back): re-insert at the tail.
    if (expires !== undefined) this.#expiries.delete(key);
    if (this.#expiries.size >= this.#maxEntries) {
      const oldest = this.#expiries.values().next();
      const waitMs = oldest.done === true ? ttlMs : Math.max(oldest.value - now, 1);
      return Promise.reject(
        new ThrottledError('too many requests to remember their nonces; retry later', {
          details: { retryAfterSeconds: Math.ceil(waitMs / 1000) },
        }),
      );
    }
    this.#expiries.set(key, now + ttlMs);
    return Promise.resolve(true);
  }

  #purge(now: number): void {
    for (const [key, expires] of this.#expiries) {
      if (expires > now) return;
      this.#expiries.delete(key);
    }
  }
}
