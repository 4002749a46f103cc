import { LRUCache } from 'lru-cache';

/**
 * Unwrapped key versions, least recently used first out. The cache owns every
 * buffer: it zeroes one when it is evicted, forgotten or cleared — but never
 * while a `use` callback holds it (nested uses, or a seal inside one), in which
 * case the zeroing waits until the outermost such callback returns.
 */
export class VersionCache {
  readonly #lru: LRUCache<string, Buffer>;
  readonly #pins = new Map<Buffer, number>();
  readonly #doomed = new Set<Buffer>();

  constructor(max: number) {
    this.#lru = new LRUCache<string, Buffer>({
      max,
      dispose: (material) => {
        if (this.#pins.has(material)) this.#doomed.add(material);
        else material.fill(0);
      },
    });
  }

  get size(): number {
    return this.#lru.size;
  }

  /** Runs `use` with the cached material for `cacheKey`, calling `load` (and caching) on a miss. */
  use<T>(cacheKey: string, load: () => Buffer, use: (material: Buffer) => T): T {
    let material = this.#lru.get(cacheKey);
    if (material === undefined) {
      material = load();
      this.#lru.set(cacheKey, material);
    }
    this.#pins.set(material, (this.#pins.get(material) ?? 0) + 1);
    try {
      return use(material);
    } finally {
      this.#unpin(material);
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

  #unpin(material: Buffer): void {
    const count = (this.#pins.get(material) ?? 1) - 1;
    if (count > 0) {
      this.#pins.set(material, count);
      return;
    }
    this.#pins.delete(material);
    if (this.#doomed.delete(material)) material.fill(0);
  }
}
