import { LRUCache } from 'lru-cache';

interface Entry {
  readonly material: Buffer;
  /** Uses in progress; zeroing waits until the last one returns. */
  pins: number;
  /** Evicted, forgotten or cleared while pinned: zero once unpinned. */
  doomed: boolean;
}

/**
 * Unwrapped key versions, least recently used first out. The cache owns every
 * buffer: it zeroes one when it is evicted, forgotten or cleared — but never
 * while a `use` callback holds it (nested uses, or a seal inside one), in which
 * case the zeroing waits until the outermost such callback returns.
 */
export class VersionCache {
  // The pin count lives beside the buffer: a use then costs no Map lookups.
  readonly #lru: LRUCache<string, Entry>;

  constructor(max: number) {
    this.#lru = new LRUCache<string, Entry>({
      max,
      dispose: (entry) => {
        if (entry.pins > 0) entry.doomed = true;
        else entry.material.fill(0);
      },
    });
  }

  get size(): number {
    return this.#lru.size;
  }

  /** Runs `use` with the cached material for `cacheKey`, calling `load` (and caching) on a miss. */
  use<T>(cacheKey: string, load: () => Buffer, use: (material: Buffer) => T): T {
    let entry = this.#lru.get(cacheKey);
    if (entry === undefined) {
      entry = { material: load(), pins: 0, doomed: false };
      this.#lru.set(cacheKey, entry);
    }
    entry.pins += 1;
    try {
      return use(entry.material);
    } finally {
      entry.pins -= 1;
      if (entry.pins === 0 && entry.doomed) entry.material.fill(0);
    }
  }

  /** Drops every entry whose key is `${keyId}:<version>`. */
  forget(keyId: string): void {
    // Versions are integers, so the last ':' separates the key id even if it has colons.
    const stale = [...this.#lru.keys()].filter((k) => k.slice(0, k.lastIndexOf(':')) === keyId);
    for (const cacheKey of stale) this.#lru.delete(cacheKey);
  }

  clear(): void {
    this.#lru.clear();
  }
}
