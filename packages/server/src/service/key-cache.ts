import type { KeyRecord, KeyVersion } from '../core/key.js';

/** A key with everything an operation needs to decide, as one snapshot. */
export interface LoadedKey {
  readonly key: KeyRecord;
  /** Ascending by version. */
  readonly versions: readonly KeyVersion[];
  readonly aliases: readonly string[];
}

/**
 * Keys and alias targets held in memory so that hot operations (encrypt,
 * decrypt, sign) touch no store. Every write through the service invalidates
 * the entries it changes; a scale-out deployment adds cross-node invalidation.
 */
export class KeyCache {
  readonly #keys = new Map<string, LoadedKey>();
  readonly #aliases = new Map<string, string>();

  constructor(private readonly maxEntries = 10_000) {}

  get(keyId: string): LoadedKey | undefined {
    return this.#keys.get(keyId);
  }

  set(loaded: LoadedKey): void {
    if (this.#keys.size >= this.maxEntries) this.#evictOldest(this.#keys);
    this.#keys.set(loaded.key.id, loaded);
  }

  aliasTarget(name: string): string | undefined {
    return this.#aliases.get(name);
  }

  setAlias(name: string, keyId: string): void {
    if (this.#aliases.size >= this.maxEntries) this.#evictOldest(this.#aliases);
    this.#aliases.set(name, keyId);
  }

  invalidate(keyId: string): void {
    this.#keys.delete(keyId);
  }

  invalidateAlias(name: string): void {
    this.#aliases.delete(name);
  }

  clear(): void {
    this.#keys.clear();
    this.#aliases.clear();
  }

  #evictOldest(map: Map<string, unknown>): void {
    const first = map.keys().next();
    if (first.done !== true) map.delete(first.value);
  }
}
