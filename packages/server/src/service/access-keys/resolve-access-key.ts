import type { SecretBytes } from '@custos/crypto';
import { UnauthenticatedError } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import type { Kms } from '../context.js';
import { ACCESS_KEY_ID_RE, type AccessKeyRecord, secretPurpose } from './access-key-records.js';

export interface ResolvedAccessKey {
  readonly principal: Principal;
  /** The SigV4 secret; the caller zeroes it when the signature is checked. */
  readonly secret: SecretBytes;
}

/** One message for every failure, as for tokens. */
const UNKNOWN = 'the access key id is not valid';

interface CachedKey {
  readonly record: AccessKeyRecord;
  readonly owner: Principal;
  readonly loadedAt: number;
}

/**
 * Sealed records and their owners by kms, so a signed request costs no store
 * read (the store serialises its connection; a read per request would queue
 * behind writes). The secret stays wrapped in memory and is unwrapped (one
 * AES-GCM open) per request. Owners are re-read after OWNER_TTL_MS, so a
 * disabled principal or changed policies take effect within it; deleting the
 * key drops its entry at once.
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

/** Drops a deleted key from the cache so it stops working at once. */
export function forgetAccessKey(kms: Kms, accessKeyId: string): void {
  cacheOf(kms).delete(accessKeyId);
}

/**
 * The principal an access key stands for and its secret, for the AWS door's
 * SigV4 check. Unknown keys and keys of missing or disabled principals fail
 * with UnauthenticatedError.
 *
 * @example
 * const { principal, secret } = await resolveAccessKey(kms, 'AKIA…');
 * try { check(secret.bytes) } finally { secret.zero() }
 */
export async function resolveAccessKey(kms: Kms, accessKeyId: string): Promise<ResolvedAccessKey> {
  const cache = cacheOf(kms);
  const now = kms.clock.now().getTime();
  let entry = cache.get(accessKeyId);
  if (entry === undefined || now - entry.loadedAt > OWNER_TTL_MS) {
    const record = ACCESS_KEY_ID_RE.test(accessKeyId)
      ? await kms.store.getAccessKey(accessKeyId)
      : undefined;
    if (record === undefined) throw new UnauthenticatedError(UNKNOWN);
    const owner = await kms.store.getPrincipal(record.principalId);
    if (owner === undefined || owner.disabled) throw new UnauthenticatedError(UNKNOWN);
    entry = {
      record,
      owner: { id: owner.id, kind: owner.kind, policies: owner.policies },
      loadedAt: now,
    };
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(accessKeyId, entry);
  }
  const secret = kms.keyring.unwrapSecret(secretPurpose(accessKeyId), entry.record.wrappedSecret);
  return { principal: entry.owner, secret };
}
