import type { SecretBytes } from '@custos/crypto';

export type SealType = 'dev-file' | 'passphrase' | 'shamir' | 'pkcs11' | 'aws-kms';

export interface SealDescription {
  readonly type: SealType;
  /** Non-secret facts for status output (file path, KDF parameters, ...). */
  readonly details: Readonly<Record<string, string | number>>;
}

/**
 * The root of trust: it wraps and unwraps the domain key, and nothing else.
 * Everything below the domain key (key versions, secrets) is wrapped by the
 * Keyring with AES-256-GCM.
 */
export interface Seal {
  readonly type: SealType;
  /** Wraps a 32-byte domain key into a blob the store keeps. */
  wrap(domainKey: SecretBytes): Promise<Buffer>;
  /**
   * Unwraps a blob from `wrap`. A wrong root of trust (passphrase, file, share)
   * throws InvalidInputError and reveals nothing else.
   */
  unwrap(wrapped: Buffer): Promise<SecretBytes>;
  describe(): SealDescription;
}
