import { CryptoError, type KeySpecName, publicKeyFromSpki } from '@custos/crypto';
import type { KeyObject } from 'node:crypto';
import {
  InvalidInputError,
  InvalidStateError,
  NotFoundError,
  UnsupportedError,
} from '../core/errors.js';
import { assertUsable, versionUsable } from '../core/lifecycle.js';
import { loadAuthorizedKey } from './authorized-key.js';
import type { RequestContext } from './context.js';
import { wrapMaterial } from './import-wrapping.js';
import { withMaterial } from './key-material.js';
import { assertNotDestroyed } from './update-key.js';
import { checkInteger, checkOneOf, mapCryptoError } from './validate.js';

export const EXPORT_WRAPPING_ALGORITHMS = [
  'RSA_AES_KEY_WRAP_SHA_256',
  'RSAES_OAEP_SHA_256',
] as const;
export type ExportWrappingAlgorithm = (typeof EXPORT_WRAPPING_ALGORITHMS)[number];

export interface ExportKeyInput {
  readonly keyId: string;
  /** Default: the primary version. */
  readonly keyVersion?: number;
  /** The recipient's RSA public key (2048 to 4096 bits): SPKI DER, or PEM text. */
  readonly publicKey: Uint8Array | string;
  /** Default RSA_AES_KEY_WRAP_SHA_256, which carries material of any size. */
  readonly wrappingAlgorithm?: ExportWrappingAlgorithm;
}

export interface ExportKeyOutput {
  readonly keyId: string;
  readonly keyVersion: number;
  readonly spec: KeySpecName;
  readonly wrappingAlgorithm: ExportWrappingAlgorithm;
  /** Raw bytes (symmetric) or PKCS#8 DER (asymmetric), wrapped to `publicKey`. */
  readonly wrappedKeyMaterial: Buffer;
}

/**
 * Hands a version's material out of Custos, wrapped to the caller's RSA key,
 * in the same wrapping importKeyMaterial takes. Only keys created with
 * `exportable: true` are ever exported: the choice is made once, at creation,
 * so a key that was promised never to leave cannot be made to leave later.
 *
 * @example
 * const { wrappedKeyMaterial } = await exportKey(ctx, { keyId, publicKey: recipientSpkiDer });
 */
export async function exportKey(
  ctx: RequestContext,
  input: ExportKeyInput,
): Promise<ExportKeyOutput> {
  const wrappingAlgorithm = input.wrappingAlgorithm ?? 'RSA_AES_KEY_WRAP_SHA_256';
  checkOneOf('wrappingAlgorithm', wrappingAlgorithm, EXPORT_WRAPPING_ALGORITHMS);
  if (input.keyVersion !== undefined) checkInteger('keyVersion', input.keyVersion, 1, 0xffffffff);
  const recipient = recipientKey(input.publicKey);
  const loaded = await loadAuthorizedKey(ctx, input.keyId, 'kms:ExportKey');
  assertNotDestroyed(loaded);
  if (!loaded.key.exportable) {
    throw new UnsupportedError(`key ${loaded.key.id} was not created exportable`);
  }
  assertUsable(loaded.key);
  const wanted = input.keyVersion ?? loaded.key.primaryVersion;
  const version = loaded.versions.find((v) => v.version === wanted);
  if (version === undefined)
    throw new NotFoundError(`key ${loaded.key.id} has no version ${String(wanted)}`);
  if (!versionUsable(version)) {
    throw new InvalidStateError(
      `version ${String(wanted)} of key ${loaded.key.id} is not in service`,
    );
  }
  let wrappedKeyMaterial: Buffer;
  try {
    wrappedKeyMaterial = withMaterial(ctx, version, (m) =>
      wrapMaterial(recipient, wrappingAlgorithm, m),
    );
  } catch (error) {
    // OAEP alone cannot carry long material (e.g. an RSA private key).
    mapCryptoError(error);
  }
  return {
    keyId: loaded.key.id,
    keyVersion: version.version,
    spec: loaded.key.spec,
    wrappingAlgorithm,
    wrappedKeyMaterial,
  };
}

const MIN_RSA_BITS = 2048;
const MAX_RSA_BITS = 4096;

function recipientKey(publicKey: Uint8Array | string): KeyObject {
  let key: KeyObject;
  try {
    key = publicKeyFromSpki(publicKey);
  } catch (error) {
    if (error instanceof CryptoError)
      throw new InvalidInputError('publicKey must be an RSA public key, SPKI DER or PEM');
    throw error;
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (key.asymmetricKeyType !== 'rsa' || bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
    throw new InvalidInputError(
      `publicKey must be an RSA key of ${String(MIN_RSA_BITS)} to ${String(MAX_RSA_BITS)} bits`,
    );
  }
  return key;
}
