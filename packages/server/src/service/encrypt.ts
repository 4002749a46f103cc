import {
  type EncryptionAlgorithm,
  type EncryptionContext,
  ENCRYPTION_ALGORITHMS,
  rsaOaepEncrypt,
} from '@custos/crypto';
import { InvalidInputError } from '../core/errors.js';
import { loadAuthorizedKey } from './authorized-key.js';
import type { RequestContext } from './context.js';
import type { LoadedKey } from './key-cache.js';
import { assertOperable, primaryVersion, publicKeyObject } from './key-material.js';
import { sealSymmetric } from './symmetric-aead.js';
import { checkBytes, checkContext, checkOneOf, mapCryptoError } from './validate.js';

export interface EncryptInput {
  readonly keyId: string;
  readonly plaintext: Uint8Array;
  readonly encryptionContext?: EncryptionContext;
  /** SYMMETRIC_DEFAULT for AES keys (default); RSAES_OAEP_SHA_1/256 for RSA keys (required). */
  readonly algorithm?: EncryptionAlgorithm;
}

export interface EncryptOutput {
  readonly ciphertext: Buffer;
  readonly keyId: string;
  readonly keyVersion: number;
  readonly algorithm: EncryptionAlgorithm;
}

/**
 * Encrypts up to 4 KiB. AES keys produce a self-describing ciphertext (v1,
 * docs/formats.md) bound to the encryption context; RSA keys produce raw
 * RSA-OAEP output, as AWS KMS does, which decrypts only with the key named.
 */
export async function encrypt(ctx: RequestContext, input: EncryptInput): Promise<EncryptOutput> {
  checkBytes('plaintext', input.plaintext, 1, ctx.kms.config.maxPlaintextBytes);
  checkContext(input.encryptionContext);
  const loaded = await loadAuthorizedKey(ctx, input.keyId, 'kms:Encrypt', input.encryptionContext);
  return encryptWith(ctx, loaded, input);
}

/** Encryption under an already authorized key; shared with data-key and re-encrypt. */
export function encryptWith(
  ctx: RequestContext,
  loaded: LoadedKey,
  input: Omit<EncryptInput, 'keyId'>,
): EncryptOutput {
  const spec = assertOperable(loaded, 'ENCRYPT_DECRYPT');
  const algorithm = input.algorithm ?? (spec.symmetric ? 'SYMMETRIC_DEFAULT' : undefined);
  if (algorithm === undefined) {
    throw new InvalidInputError(`key ${loaded.key.id} is asymmetric: name an encryption algorithm`);
  }
  checkOneOf('algorithm', algorithm, ENCRYPTION_ALGORITHMS);
  if (!spec.encryptionAlgorithms.includes(algorithm)) {
    throw new InvalidInputError(`${algorithm} is not valid for key spec ${spec.name}`);
  }
  const version = primaryVersion(loaded);
  let ciphertext: Buffer;
  try {
    if (spec.symmetric) {
      ciphertext = sealSymmetric(ctx, loaded, version, input.plaintext, input.encryptionContext);
    } else {
      if (
        input.encryptionContext !== undefined &&
        Object.keys(input.encryptionContext).length > 0
      ) {
        throw new InvalidInputError('an encryption context cannot be bound with an asymmetric key');
      }
      const hash = algorithm === 'RSAES_OAEP_SHA_1' ? 'SHA-1' : 'SHA-256';
      ciphertext = rsaOaepEncrypt(publicKeyObject(version), hash, input.plaintext);
    }
  } catch (error) {
    mapCryptoError(error);
  }
  ctx.kms.usage.record(loaded.key.id, version.version, ctx.kms.clock.now());
  return { ciphertext, keyId: loaded.key.id, keyVersion: version.version, algorithm };
}
