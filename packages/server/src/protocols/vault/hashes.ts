import type { HashName } from '@custos/crypto';
import { UnsupportedError } from '../../core/errors.js';

/** Vault's hash names that Custos signs and MACs with. */
const HASHES: Readonly<Record<string, HashName>> = {
  'sha2-256': 'SHA-256',
  'sha2-384': 'SHA-384',
  'sha2-512': 'SHA-512',
};

export function vaultHash(name: string): HashName {
  const hash = Object.hasOwn(HASHES, name) ? HASHES[name] : undefined;
  if (hash === undefined) {
    throw new UnsupportedError(`hash algorithm ${name} is not supported (docs/vault.md)`);
  }
  return hash;
}

export const bits = (hash: HashName): string => hash.slice(4);
