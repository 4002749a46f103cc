import type { SecretBytes } from '@custos/crypto';
import { SealedError, UnauthenticatedError } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import type { Kms } from '../context.js';
import { ACCESS_KEY_ID_RE, secretPurpose } from './access-key-records.js';

export interface ResolvedAccessKey {
  readonly principal: Principal;
  /**
   * The SigV4 secret, owned by the cache: the caller must neither keep nor
   * zero it. The same object comes back while the entry lives, so a caller
   * may key per-secret state (a signer) on it.
   */
  readonly secret: SecretBytes;
}

/** One message for every failure, as for tokens. */
const UNKNOWN = 'the access key id is not valid';

interface CachedKey {
  readonly owner: Principal;
  readonly secret: SecretBytes;
  readonly loadedAt: number;
}

/**
 * Access keys in use, by kms, so a signed request costs no store read (the
 * store serialises its connection) and no unwrap (an AES-GCM open per
 * request was a tenth of the door's CPU). An entry holds the unwrapped
 * secret for at most OWNER_TTL_MS: then the record and its owner are read
 * again, so a disabled principal or changed policies take effect within it.
 * Secrets are zeroed when their entry is replaced, when the key is deleted
 * (at once), and when the keyring is found sealed; like the unwrapped key
 * versions the keyring caches, they never leave this process's memory.
 */
const records = new WeakMap<Kms, Map<string, CachedKey>>();
const MAX_CACHED = 10_000;
const OWNER_TTL_MS = 5_000;

function cacheOf(kms: Kms): Map<string, CachedKey> {
  let cache = records.get(kms);
  if (cache === undefined) {
    cache = new Map();
    records.set(kms, cache);
  }
  return cache;
}

function drop(cache: Map<string, CachedKey>, accessKeyId: string): void {
  cache.get(accessKeyId)?.secret.zero();
  cache.delete(accessKeyId);
}

function clear(cache: Map<string, CachedKey>): void {
  for (const entry of cache.values()) entry.secret.zero();
  cache.clear();
}

/** Drops a deleted key from the cache so it stops working at once. */
export function forgetAccessKey(kms: Kms, accessKeyId: string): void {
  drop(cacheOf(kms), accessKeyId);
}

/**
 * The principal an access key stands for and its secret, for the AWS door's
 * SigV4 check. Unknown keys and keys of missing or disabled principals fail
 * with UnauthenticatedError; a sealed server with SealedError.
 *
 * @example
 * const { principal, secret } = await resolveAccessKey(kms, 'AKIA…');
 * check(secret.bytes); // never zero it: the cache owns it
 */
export async function resolveAccessKey(kms: Kms, accessKeyId: string): Promise<ResolvedAccessKey> {
  const cache = cacheOf(kms);
  if (kms.keyring.sealed) {
    clear(cache);
    throw new SealedError('Custos is sealed');
  }
  const now = kms.clock.now().getTime();
  let entry = cache.get(accessKeyId);
  if (entry === undefined || now - entry.loadedAt > OWNER_TTL_MS) {
    const record = ACCESS_KEY_ID_RE.test(accessKeyId)
      ? await kms.store.getAccessKey(accessKeyId)
      : undefined;
    const owner =
      record === undefined ? undefined : await kms.store.getPrincipal(record.principalId);
    if (record === undefined || owner === undefined || owner.disabled) {
      drop(cache, accessKeyId);
      throw new UnauthenticatedError(UNKNOWN);
    }
    const secret = kms.keyring.unwrapSecret(secretPurpose(accessKeyId), record.wrappedSecret);
    drop(cache, accessKeyId);
    if (cache.size >= MAX_CACHED) clear(cache);
    entry = {
      owner: { id: owner.id, kind: owner.kind, policies: owner.policies },
      secret,
      loadedAt: now,
    };
    cache.set(accessKeyId, entry);
  }
  return { principal: entry.owner, secret: entry.secret };
}
