import {
  CryptoError,
  type EncryptionAlgorithm,
  type EncryptionContext,
  ENCRYPTION_ALGORITHMS,
  SecretBytes,
  parseCiphertext,
  rsaOaepDecrypt,
} from '@custos/crypto';
import { InvalidCiphertextError, InvalidInputError, KmsError } from '../core/errors.js';
import { loadAuthorizedKey } from './authorized-key.js';
import type { RequestContext } from './context.js';
import { resolveKeyId } from './key-loader.js';
import {
  assertOperable,
  decryptingVersion,
  verifyingVersions,
  withPrivateKey,
} from './key-material.js';
import { openSymmetric } from './symmetric-aead.js';
import { checkBytes, checkContext, checkOneOf } from './validate.js';

/** AWS KMS's bound on CiphertextBlob. */
export const MAX_CIPHERTEXT_BYTES = 6144;

export interface DecryptInput {
  readonly ciphertext: Uint8Array;
  readonly encryptionContext?: EncryptionContext;
  /** Optional for AES ciphertexts (they name their key); required for RSA. */
  readonly keyId?: string;
  readonly algorithm?: EncryptionAlgorithm;
}

export interface DecryptOutput {
  /** The caller's to zero once rendered. */
  readonly plaintext: SecretBytes;
  readonly keyId: string;
  readonly keyVersion: number;
  readonly algorithm: EncryptionAlgorithm;
}

/**
 * Decrypts. Every failure that could tell an attacker something about the
 * ciphertext (unknown key, other key, wrong context, tampering, retired
 * version) is the one InvalidCiphertext; only the key's own state (disabled,
 * pending deletion) and access denial are reported as such.
 */
export async function decrypt(ctx: RequestContext, input: DecryptInput): Promise<DecryptOutput> {
  return decryptAs(ctx, input, 'kms:Decrypt');
}

/** Decryption authorized as `action` (re-encrypt decrypts as kms:ReEncryptFrom). */
export async function decryptAs(
  ctx: RequestContext,
  input: DecryptInput,
  action: 'kms:Decrypt' | 'kms:ReEncryptFrom',
): Promise<DecryptOutput> {
  checkBytes('ciphertext', input.ciphertext, 1, MAX_CIPHERTEXT_BYTES);
  checkContext(input.encryptionContext);
  const algorithm = input.algorithm ?? 'SYMMETRIC_DEFAULT';
  checkOneOf('algorithm', algorithm, ENCRYPTION_ALGORITHMS);
  if (algorithm !== 'SYMMETRIC_DEFAULT') return decryptRsa(ctx, input, algorithm, action);
  const parsed = uniform(() => parseCiphertext(input.ciphertext));
  const loaded = await loadAuthorizedKey(
    ctx,
    parsed.header.keyId,
    action,
    input.encryptionContext,
  ).catch(notFoundAsInvalid);
  // Only once the caller may use the ciphertext's key: whether the key they
  // named is another or none at all, they learn only that it is not this one.
  if (input.keyId !== undefined) {
    const named = await resolveKeyId(ctx, input.keyId).catch(notFoundAsInvalid);
    if (named !== loaded.key.id) throw new InvalidCiphertextError();
  }
  assertOperable(loaded, 'ENCRYPT_DECRYPT');
  const version = decryptingVersion(loaded, parsed.header.keyVersion);
  const plaintext = uniform(() =>
    openSymmetric(ctx, loaded, version, parsed, input.encryptionContext),
  );
  ctx.kms.usage.record(loaded.key.id, version.version, ctx.kms.clock.now(), 0);
  return {
    plaintext: SecretBytes.adopt(plaintext),
    keyId: loaded.key.id,
    keyVersion: version.version,
    algorithm,
  };
}

async function decryptRsa(
  ctx: RequestContext,
  input: DecryptInput,
  algorithm: EncryptionAlgorithm,
  action: 'kms:Decrypt' | 'kms:ReEncryptFrom',
): Promise<DecryptOutput> {
  if (input.keyId === undefined) {
    throw new InvalidInputError('decrypting with an asymmetric key needs the key id');
  }
  const loaded = await loadAuthorizedKey(ctx, input.keyId, action, input.encryptionContext);
  const spec = assertOperable(loaded, 'ENCRYPT_DECRYPT');
  if (!spec.encryptionAlgorithms.includes(algorithm)) {
    throw new InvalidInputError(`${algorithm} is not valid for key spec ${spec.name}`);
  }
  const hash = algorithm === 'RSAES_OAEP_SHA_1' ? 'SHA-1' : 'SHA-256';
  for (const version of verifyingVersions(loaded)) {
    try {
      const plaintext = withPrivateKey(ctx, version, (key) =>
        rsaOaepDecrypt(key, hash, input.ciphertext),
      );
      ctx.kms.usage.record(loaded.key.id, version.version, ctx.kms.clock.now(), 0);
      return {
        plaintext: SecretBytes.adopt(plaintext),
        keyId: loaded.key.id,
        keyVersion: version.version,
        algorithm,
      };
    } catch (error) {
      if (!(error instanceof CryptoError)) throw error;
    }
  }
  throw new InvalidCiphertextError();
}

function notFoundAsInvalid(error: unknown): never {
  if (error instanceof KmsError && error.code === 'NOT_FOUND') throw new InvalidCiphertextError();
  throw error;
}

/** Any cryptographic failure becomes the one InvalidCiphertext. */
function uniform<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof CryptoError) throw new InvalidCiphertextError();
    throw error;
  }
}
