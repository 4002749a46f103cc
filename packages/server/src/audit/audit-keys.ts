import { generateKeyMaterial, keySpec, publicKeyOfPkcs8, SecretBytes } from '@custos/crypto';
import type { Keyring } from '../seal/keyring.js';
import type { StoreReader, StoreWriter } from '../store/store.js';
import {
  auditKeyId,
  signCheckpoint,
  type AuditCheckpoint,
  type CheckpointBody,
} from './checkpoint.js';

// Meta entries. The HMAC key and the signing key are kept wrapped under the
// domain key (so they live under the seal); the public key is in clear so
// that anyone can verify checkpoints with the server stopped and sealed.
export const AUDIT_HMAC_META = 'audit-hmac-key';
export const AUDIT_SIGNING_META = 'audit-signing-key';
export const AUDIT_PUBLIC_META = 'audit-public-key';

const HMAC_KEY_BYTES = 32;

/** The audit keys as stored: wrapped secrets and the clear public key. */
export interface AuditKeyBlobs {
  readonly wrappedHmacKey: Buffer;
  readonly wrappedSigningKey: Buffer;
  /** Ed25519 SPKI DER. */
  readonly publicKey: Buffer;
  readonly keyId: string;
}

/**
 * The per-deployment audit keys: an HMAC-SHA256 key for encryption-context
 * values and an Ed25519 key for checkpoints. Created by the first write after
 * the service is unsealed, in that write's transaction; unwrapped only for
 * the moment they are used and zeroed at once.
 */
export class AuditKeys {
  // Blobs are cached only once read back from the store: blobs created in a
  // transaction that then rolled back must not outlive it.
  #stored: AuditKeyBlobs | undefined;

  constructor(private readonly keyring: Keyring) {}

  /** The keys as last read back from the store, if they were. */
  get cached(): AuditKeyBlobs | undefined {
    return this.#stored;
  }

  /** The stored keys, creating them in `tx` if there are none; undefined while sealed and absent. */
  async forWrite(tx: StoreWriter): Promise<AuditKeyBlobs | undefined> {
    const stored = this.#stored ?? (await this.read(tx));
    if (stored !== undefined || this.keyring.sealed) return stored;
    return this.create(tx);
  }

  /** The stored keys, or undefined if none were created yet. */
  async read(store: StoreReader): Promise<AuditKeyBlobs | undefined> {
    const [wrappedHmacKey, wrappedSigningKey, publicKey] = await Promise.all([
      store.getMeta(AUDIT_HMAC_META),
      store.getMeta(AUDIT_SIGNING_META),
      store.getMeta(AUDIT_PUBLIC_META),
    ]);
    if (
      wrappedHmacKey === undefined ||
      wrappedSigningKey === undefined ||
      publicKey === undefined
    ) {
      return undefined;
    }
    this.#stored = { wrappedHmacKey, wrappedSigningKey, publicKey, keyId: auditKeyId(publicKey) };
    return this.#stored;
  }

  /** Runs `use` with the unwrapped HMAC key, zeroed afterwards. */
  withHmacKey<T>(blobs: AuditKeyBlobs, use: (key: Buffer) => T): T {
    const key = this.keyring.unwrapSecret(AUDIT_HMAC_META, blobs.wrappedHmacKey);
    try {
      return use(key.bytes);
    } finally {
      key.zero();
    }
  }

  /** Signs a checkpoint or anchor body with the unwrapped signing key, zeroed afterwards. */
  sign(blobs: AuditKeyBlobs, body: Omit<CheckpointBody, 'v' | 'keyId'>): AuditCheckpoint {
    const pkcs8 = this.keyring.unwrapSecret(AUDIT_SIGNING_META, blobs.wrappedSigningKey);
    try {
      return signCheckpoint({ v: 1, keyId: blobs.keyId, ...body }, pkcs8.bytes);
    } finally {
      pkcs8.zero();
    }
  }

  private async create(tx: StoreWriter): Promise<AuditKeyBlobs> {
    const hmacKey = SecretBytes.random(HMAC_KEY_BYTES);
    const pkcs8 = generateKeyMaterial(keySpec('ED25519'));
    try {
      const publicKey = publicKeyOfPkcs8(pkcs8.bytes);
      const blobs: AuditKeyBlobs = {
        wrappedHmacKey: this.keyring.wrapSecret(AUDIT_HMAC_META, hmacKey.bytes),
        wrappedSigningKey: this.keyring.wrapSecret(AUDIT_SIGNING_META, pkcs8.bytes),
        publicKey,
        keyId: auditKeyId(publicKey),
      };
      await tx.putMeta(AUDIT_HMAC_META, blobs.wrappedHmacKey);
      await tx.putMeta(AUDIT_SIGNING_META, blobs.wrappedSigningKey);
      await tx.putMeta(AUDIT_PUBLIC_META, blobs.publicKey);
      return blobs;
    } finally {
      hmacKey.zero();
      pkcs8.zero();
    }
  }
}
