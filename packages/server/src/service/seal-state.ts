import { AlreadyExistsError, InvalidStateError } from '../core/errors.js';
import type { Seal, SealType } from '../seal/seal.js';
import type { Kms } from './context.js';

const DOMAIN_KEY = 'domain-key';
const SEAL_TYPE = 'seal-type';

export interface SealStatus {
  readonly initialized: boolean;
  readonly sealed: boolean;
  readonly sealType: SealType | null;
}

/** Whether the store holds a domain key, whether it is unsealed, and under which seal. */
export async function sealStatus(kms: Kms): Promise<SealStatus> {
  const [wrapped, type] = await Promise.all([
    kms.store.getMeta(DOMAIN_KEY),
    kms.store.getMeta(SEAL_TYPE),
  ]);
  return {
    initialized: wrapped !== undefined,
    sealed: kms.keyring.sealed,
    sealType: type === undefined ? null : (type.toString('utf8') as SealType),
  };
}

/**
 * First start: a new domain key wrapped by `seal`, stored; the service is
 * then unsealed. Refused if the store already has a domain key, so a second
 * init can never orphan existing keys.
 */
export async function initializeKms(kms: Kms, seal: Seal): Promise<void> {
  if ((await kms.store.getMeta(DOMAIN_KEY)) !== undefined) {
    throw new AlreadyExistsError('this data directory is already initialised');
  }
  const wrapped = await kms.keyring.initialize(seal);
  try {
    await kms.store.transaction(async (tx) => {
      if ((await tx.getMeta(DOMAIN_KEY)) !== undefined) {
        throw new AlreadyExistsError('this data directory is already initialised');
      }
      await tx.putMeta(DOMAIN_KEY, wrapped);
      await tx.putMeta(SEAL_TYPE, Buffer.from(seal.type, 'utf8'));
    });
  } catch (error) {
    kms.keyring.seal();
    throw error;
  }
}

/** Unwraps the stored domain key with `seal`. A wrong root of trust is InvalidInput. */
export async function unsealKms(kms: Kms, seal: Seal): Promise<void> {
  const wrapped = await kms.store.getMeta(DOMAIN_KEY);
  if (wrapped === undefined) throw new InvalidStateError('this data directory is not initialised');
  if (!kms.keyring.sealed) return;
  await kms.keyring.unseal(seal, wrapped);
}

/** Forgets the domain key and every cached key: every key operation then fails with Sealed. */
export function sealKms(kms: Kms): void {
  kms.keyring.seal();
  kms.cache.clear();
}
