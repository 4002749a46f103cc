import type { Action } from '../core/actions.js';
import type { Store, VersionUsage } from '../store/store.js';

/**
 * Counts what each key version produced (ciphertexts, data keys, signatures,
 * MACs) and when each key was last used, in memory; `flush` writes the counts
 * in one store call so the hot path never waits on a write.
 */
export class UsageRecorder {
  #pending = new Map<string, { keyId: string; version: number; count: number }>();
  readonly #lastUsed = new Map<string, Date>();
  // Per key, authorized requests by action. Statistics of this node since it
  // started, never written: they answer "what uses this key", not billing.
  readonly #operations = new Map<string, Map<Action, number>>();
  readonly countingSince = new Date();

  record(keyId: string, version: number, at: Date, produced = 1): void {
    this.#lastUsed.set(keyId, at);
    if (produced > 0) this.#add(keyId, version, produced);
  }

  #add(keyId: string, version: number, count: number): void {
    const id = `${keyId}:${String(version)}`;
    const entry = this.#pending.get(id);
    if (entry === undefined) this.#pending.set(id, { keyId, version, count });
    else entry.count += count;
  }

  /** One authorized request for `action` on the key (authorize calls this). */
  countOperation(keyId: string, action: Action): void {
    let counts = this.#operations.get(keyId);
    if (counts === undefined) {
      counts = new Map();
      this.#operations.set(keyId, counts);
    }
    counts.set(action, (counts.get(action) ?? 0) + 1);
  }

  /** The key's counts by action since `countingSince`; empty when never used. */
  operationCounts(keyId: string): ReadonlyMap<Action, number> {
    return this.#operations.get(keyId) ?? new Map<Action, number>();
  }

  lastUsedAt(keyId: string): Date | null {
    return this.#lastUsed.get(keyId) ?? null;
  }

  /** Counts recorded but not yet flushed, for describe to add to stored ones. */
  pendingCount(keyId: string, version: number): number {
    return this.#pending.get(`${keyId}:${String(version)}`)?.count ?? 0;
  }

  /**
   * Writes the pending counts; returns the ids of the keys they belong to, whose
   * cached snapshots (read before the write, and no longer topped up from
   * `pendingCount`) are now stale.
   */
  async flush(store: Store): Promise<string[]> {
    if (this.#pending.size === 0) return [];
    const batch: VersionUsage[] = [...this.#pending.values()];
    this.#pending = new Map();
    try {
      await store.addVersionUsage(batch);
    } catch (error) {
      for (const u of batch) this.#add(u.keyId, u.version, u.count);
      throw error;
    }
    return [...new Set(batch.map((u) => u.keyId))];
  }
}
