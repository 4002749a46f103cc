import type { KeySpecName, KeyUsage } from '@custos/crypto';
import { UnsupportedError, InvalidInputError } from '../../core/errors.js';
import { VAULT_ATTRIBUTES } from '../../service/vault/index.js';

/** What a Vault key type is in Custos, and what Vault's read says it supports. */
export interface VaultKeyType {
  readonly name: string;
  readonly spec: KeySpecName;
  readonly usage: KeyUsage;
  /** Vault's `keys` map entry name for asymmetric keys (`P-256`, `ed25519`, `rsa-2048`). */
  readonly publicName?: string;
  readonly encryption: boolean;
  readonly signing: boolean;
}

const aead = (name: string, spec: KeySpecName): VaultKeyType => ({
  name,
  spec,
  usage: 'ENCRYPT_DECRYPT',
  encryption: true,
  signing: false,
});
const signer = (name: string, spec: KeySpecName, publicName: string): VaultKeyType => ({
  name,
  spec,
  usage: 'SIGN_VERIFY',
  publicName,
  encryption: false,
  signing: true,
});

/**
 * The Vault key types Custos has a spec for. RSA keys are signing keys here:
 * a Custos key has one usage, so Vault's RSA-OAEP encrypt on them answers 400.
 */
export const VAULT_KEY_TYPES: Readonly<Record<string, VaultKeyType>> = {
  'aes256-gcm96': aead('aes256-gcm96', 'AES_256'),
  'aes128-gcm96': aead('aes128-gcm96', 'AES_128'),
  'chacha20-poly1305': aead('chacha20-poly1305', 'CHACHA20_POLY1305'),
  'ecdsa-p256': signer('ecdsa-p256', 'ECC_NIST_P256', 'P-256'),
  'ecdsa-p384': signer('ecdsa-p384', 'ECC_NIST_P384', 'P-384'),
  'ecdsa-p521': signer('ecdsa-p521', 'ECC_NIST_P521', 'P-521'),
  ed25519: signer('ed25519', 'ED25519', 'ed25519'),
  'rsa-2048': signer('rsa-2048', 'RSA_2048', 'rsa-2048'),
  'rsa-3072': signer('rsa-3072', 'RSA_3072', 'rsa-3072'),
  'rsa-4096': signer('rsa-4096', 'RSA_4096', 'rsa-4096'),
  hmac: {
    name: 'hmac',
    spec: 'HMAC_256',
    usage: 'GENERATE_VERIFY_MAC',
    encryption: false,
    signing: false,
  },
};

/** Types Vault has and Custos has no key spec for (docs/vault.md). */
const WITHOUT_SPEC = new Set([
  'xchacha20-poly1305',
  'managed_key',
  'aes128-cmac',
  'aes256-cmac',
  'aes512-cmac',
]);

/** The type named in a create request; a clear 400 for the ones without a Custos spec. */
export function vaultKeyType(name: string): VaultKeyType {
  const type = VAULT_KEY_TYPES[name];
  if (type !== undefined && Object.hasOwn(VAULT_KEY_TYPES, name)) return type;
  if (WITHOUT_SPEC.has(name)) {
    throw new UnsupportedError(`key type ${name} is not supported by Custos (see docs/vault.md)`);
  }
  throw new InvalidInputError(`unknown key type ${name}`);
}

/**
 * The Vault type of an existing key: the one it was created with through
 * this door, else the first type with its spec (keys made through other doors).
 */
export function typeOfKey(spec: string, recorded: string | undefined): VaultKeyType | undefined {
  if (recorded !== undefined && Object.hasOwn(VAULT_KEY_TYPES, recorded)) {
    return VAULT_KEY_TYPES[recorded];
  }
  return Object.values(VAULT_KEY_TYPES).find((type) => type.spec === spec);
}

/**
 * The attributes recording `derived` and `convergent_encryption` at
 * creation (openbao path_keys.go): convergence needs derivation and an
 * encryption key; encryption keys and ed25519 signing keys derive.
 */
export function derivationAttributes(
  type: VaultKeyType,
  derived: boolean,
  convergent: boolean,
): Record<string, string> {
  if (convergent && !derived) {
    throw new InvalidInputError('convergent encryption requires derivation to be enabled');
  }
  if (!derived) return {};
  if (!type.encryption && type.name !== 'ed25519') {
    throw new InvalidInputError(
      `key derivation and convergent encryption not supported for keys of type ${type.name}`,
    );
  }
  if (convergent && !type.encryption) {
    throw new InvalidInputError(
      `convergent encryption not supported for keys of type ${type.name}`,
    );
  }
  return {
    [VAULT_ATTRIBUTES.derived]: 'true',
    ...(convergent && { [VAULT_ATTRIBUTES.convergent]: 'true' }),
  };
}
