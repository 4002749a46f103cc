import {
  digest,
  keySpec,
  privateKeyFromPkcs8,
  publicKeyFromSpki,
  sign,
  verify,
} from '@custos/crypto';
import { canonicalJson } from './canonical.js';

/**
 * `checkpoint`: the log's head at some moment, signed, so that neither the
 * records up to it nor the fact that they existed can be changed unseen.
 * `anchor`: where the log starts after old records were archived and pruned.
 */
export type CheckpointKind = 'checkpoint' | 'anchor';

/** What is signed (docs/formats.md, "Audit record and checkpoint"). */
// A type alias, not an interface, so that it is a CanonicalValue as it stands.
// eslint-disable-next-line @typescript-eslint/consistent-type-definitions
export type CheckpointBody = {
  readonly v: 1;
  readonly kind: CheckpointKind;
  /** The last record the checkpoint covers. */
  readonly seq: number;
  /** That record's hash. */
  readonly hash: string;
  /** ISO 8601 UTC, when it was signed. */
  readonly time: string;
  /** Which audit key signed: hex of the first 16 bytes of SHA-256(SPKI DER). */
  readonly keyId: string;
};

export interface AuditCheckpoint extends CheckpointBody {
  /** Ed25519 signature over the canonical encoding of the body, base64. */
  readonly signature: string;
}

const ED25519 = keySpec('ED25519');

/** The audit key's id from its public key (SPKI DER). */
export function auditKeyId(publicKeySpki: Uint8Array): string {
  return digest('SHA-256', publicKeySpki).subarray(0, 16).toString('hex');
}

/** The exact bytes an Ed25519 signature covers. */
export function checkpointMessage(body: CheckpointBody): Buffer {
  const { v, kind, seq, hash, time, keyId } = body;
  return Buffer.from(canonicalJson({ v, kind, seq, hash, time, keyId }), 'utf8');
}

/**
 * Signs with the audit private key (PKCS#8 DER; the caller zeroes it).
 *
 * @example
 * const cp = signCheckpoint({ v: 1, kind: 'checkpoint', seq, hash, time, keyId }, pkcs8);
 */
export function signCheckpoint(body: CheckpointBody, privateKeyPkcs8: Uint8Array): AuditCheckpoint {
  const signature = sign(
    {
      spec: ED25519,
      algorithm: 'ED25519_SHA_512',
      messageType: 'RAW',
      message: checkpointMessage(body),
    },
    privateKeyFromPkcs8(privateKeyPkcs8),
  );
  return { ...body, signature: signature.toString('base64') };
}

/** True when `checkpoint` was signed by the key whose public half (SPKI DER) is given. */
export function verifyCheckpoint(checkpoint: AuditCheckpoint, publicKeySpki: Uint8Array): boolean {
  if (checkpoint.keyId !== auditKeyId(publicKeySpki)) return false;
  return verify(
    {
      spec: ED25519,
      algorithm: 'ED25519_SHA_512',
      messageType: 'RAW',
      message: checkpointMessage(checkpoint),
    },
    publicKeyFromSpki(publicKeySpki),
    Buffer.from(checkpoint.signature, 'base64'),
  );
}
