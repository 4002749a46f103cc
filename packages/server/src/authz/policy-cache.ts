import type { NamedPolicy } from './evaluate.js';

/**
 * The policies the authorizer decides by, in memory: decisions are on every
 * request's path and must not wait on the store. The service replaces the
 * contents at start and after each policy write (PolicyAuthorizer.refresh).
 */
export class PolicyCache {
  #byName = new Map<string, NamedPolicy>();

  get size(): number {
    return this.#byName.size;
  }

  get(name: string): NamedPolicy | undefined {
    return this.#byName.get(name);
  }

  /** The named policies that exist, in the order named; unknown names contribute nothing. */
  resolve(names: readonly string[]): NamedPolicy[] {
    const found: NamedPolicy[] = [];
    for (const name of names) {
      const policy = this.#byName.get(name);
      if (policy !== undefined) found.push(policy);
    }
    return found;
  }

  /** Swaps in a complete set at once, so a decision never sees half of an update. */
  replace(policies: Iterable<NamedPolicy>): void {
    const next = new Map<string, NamedPolicy>();
    for (const policy of policies) next.set(policy.name, policy);
    this.#byName = next;
  }
}
