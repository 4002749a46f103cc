import type { KeySpecName, KeyUsage } from '@custos/crypto';

/**
 * Key lifecycle states (DESIGN.md). PendingImport is a key created without
 * material (origin EXTERNAL) that waits for ImportKeyMaterial.
 */
export const KEY_STATES = [
  'Enabled',
  'Disabled',
  'PendingDeletion',
  'PendingImport',
  'Destroyed',
] as const;
export type KeyState = (typeof KEY_STATES)[number];

/** Where key material came from: generated here, imported, or held by an HSM. */
export const KEY_ORIGINS = ['CUSTOS', 'EXTERNAL', 'HSM'] as const;
export type KeyOrigin = (typeof KEY_ORIGINS)[number];

/**
 * Per-version states. A Disabled or Compromised version neither encrypts nor
 * decrypts (nor signs nor verifies); Destroyed versions have no material left.
 */
export const VERSION_STATES = ['Enabled', 'Disabled', 'Compromised', 'Destroyed'] as const;
export type VersionState = (typeof VERSION_STATES)[number];

export type Tags = Readonly<Record<string, string>>;

/** A key as the store keeps it: metadata only, never material. */
export interface KeyRecord {
  readonly id: string;
  readonly spec: KeySpecName;
  readonly usage: KeyUsage;
  readonly origin: KeyOrigin;
  readonly description: string;
  readonly tags: Tags;
  readonly state: KeyState;
  readonly exportable: boolean;
  /** Automatic rotation period in days, or null when rotation is manual. */
  readonly rotationPeriodDays: number | null;
  readonly nextRotationAt: Date | null;
  readonly primaryVersion: number;
  /** Versions below this never decrypt or verify (Vault's min_decryption_version). */
  readonly minDecryptionVersion: number;
  readonly deletionDate: Date | null;
  /** The state to return to on cancel-deletion is always Disabled (as AWS). */
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** Imported material expires at this time, then the key is PendingImport again. */
  readonly materialExpiresAt: Date | null;
  /** Free-form attributes other doors keep on a key (e.g. KMIP's). */
  readonly attributes: Readonly<Record<string, string>>;
  /** Optimistic concurrency counter, bumped by every write. */
  readonly rowVersion: number;
}

export interface KeyVersion {
  readonly keyId: string;
  readonly version: number;
  readonly state: VersionState;
  readonly createdAt: Date;
  /** Material sealed under the domain key (AAD binds key id and version). */
  readonly wrappedMaterial: Buffer | null;
  /** SPKI DER for asymmetric keys. */
  readonly publicKey: Buffer | null;
  /** Ciphertexts and data keys produced under this version (what depends on it). */
  readonly usageCount: number;
  readonly rowVersion: number;
}

export interface Alias {
  /** Always starts with `alias/`. */
  readonly name: string;
  readonly keyId: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** Parameters handed out for an import: an RSA key pair whose private half we keep. */
export interface ImportToken {
  readonly id: string;
  readonly keyId: string;
  readonly wrappingAlgorithm: string;
  readonly wrappingKeySpec: string;
  /** The wrapping private key (PKCS#8), sealed under the domain key. */
  readonly wrappedPrivateKey: Buffer;
  readonly publicKey: Buffer;
  readonly expiresAt: Date;
  readonly createdAt: Date;
}
