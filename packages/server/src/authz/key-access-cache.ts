import type { KeyAccessSource } from '../core/access.js';
import type { GrantRecord, KeyPolicyRecord } from '../core/key-access.js';
import {
  type CompiledGrant,
  type CompiledKeyPolicy,
  compileGrant,
  compileKeyPolicy,
} from './key-access.js';
import { keyPolicySchema } from './key-policy-schema.js';

const PAGE = 500;

/**
 * A stored key policy that no longer parses (edited by hand, or from a newer
 * Custos) must not half-apply, nor silently drop its denies: it denies
 * everyone but root until it is put again.
 */
const INVALID: CompiledKeyPolicy = {
  statements: [
    {
      label: 'key-policy#invalid',
      deny: true,
      principals: [{ type: 'account' }],
      action: () => true,
      conditions: () => true,
    },
  ],
};

/**
 * Grants and key policies by key id, in memory: decisions are on every
 * request's path. Loads race (a full load while a grant is written), so each
 * load takes a generation when it starts, and older data never replaces
 * what a newer load of the same key already applied.
 */
export class KeyAccessCache {
  #policies = new Map<string, CompiledKeyPolicy>();
  #grants = new Map<string, readonly CompiledGrant[]>();
  #keyApplied = new Map<string, number>();
  #fullApplied = 0;
  #started = 0;

  policyOf(keyId: string): CompiledKeyPolicy | undefined {
    return this.#policies.get(keyId);
  }

  grantsOf(keyId: string): readonly CompiledGrant[] | undefined {
    return this.#grants.get(keyId);
  }

  /** Reads every grant and key policy from `source` and swaps them in. */
  async loadAll(source: KeyAccessSource): Promise<void> {
    const generation = ++this.#started;
    const policies = new Map<string, CompiledKeyPolicy>();
    const grants = new Map<string, CompiledGrant[]>();
    await forEachPage(
      (page) => source.listKeyPolicies(page),
      (record) => policies.set(record.keyId, compilePolicy(record)),
    );
    await forEachPage(
      (page) => source.listGrants({}, page),
      (grant) => {
        const list = grants.get(grant.keyId) ?? [];
        list.push(compileGrant(grant));
        grants.set(grant.keyId, list);
      },
    );
    if (generation < this.#fullApplied) return;
    const kept = new Map<string, number>();
    for (const [keyId, applied] of this.#keyApplied) {
      if (applied <= generation) continue;
      kept.set(keyId, applied);
      setOrDelete(policies, keyId, this.#policies.get(keyId));
      setOrDelete(grants, keyId, this.#grants.get(keyId));
    }
    this.#policies = policies;
    this.#grants = grants;
    this.#keyApplied = kept;
    this.#fullApplied = generation;
  }

  /** Reads one key's grants and policy again, after a write to them. */
  async loadKey(source: KeyAccessSource, keyId: string): Promise<void> {
    const generation = ++this.#started;
    const record = await source.getKeyPolicy(keyId);
    const grants: CompiledGrant[] = [];
    await forEachPage(
      (page) => source.listGrants({ keyId }, page),
      (grant) => grants.push(compileGrant(grant)),
    );
    if (generation < (this.#keyApplied.get(keyId) ?? this.#fullApplied)) return;
    setOrDelete(this.#policies, keyId, record === undefined ? undefined : compilePolicy(record));
    setOrDelete(this.#grants, keyId, grants.length === 0 ? undefined : grants);
    this.#keyApplied.set(keyId, generation);
  }
}

function compilePolicy(record: KeyPolicyRecord): CompiledKeyPolicy {
  const parsed = keyPolicySchema.safeParse(record.policy);
  return parsed.success ? compileKeyPolicy(parsed.data) : INVALID;
}

function setOrDelete<V>(map: Map<string, V>, key: string, value: V | undefined): void {
  if (value === undefined) map.delete(key);
  else map.set(key, value);
}

async function forEachPage<T extends GrantRecord | KeyPolicyRecord>(
  list: (page: {
    readonly limit: number;
    readonly cursor?: string;
  }) => Promise<{ readonly items: readonly T[]; readonly nextCursor: string | null }>,
  each: (item: T) => void,
): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await list({ limit: PAGE, ...(cursor !== undefined && { cursor }) });
    for (const item of page.items) each(item);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}
