import type { EncryptionAlgorithm, EncryptionContext } from '@custos/crypto';
import { loadAuthorizedKey } from './authorized-key.js';
import type { RequestContext } from './context.js';
import { decryptAs } from './decrypt.js';
import { type EncryptOutput, encryptWith } from './encrypt.js';
import { checkContext } from './validate.js';

export interface ReEncryptInput {
  readonly ciphertext: Uint8Array;
  readonly sourceEncryptionContext?: EncryptionContext;
  readonly sourceKeyId?: string;
  readonly sourceAlgorithm?: EncryptionAlgorithm;
  readonly destinationKeyId: string;
  readonly destinationEncryptionContext?: EncryptionContext;
  readonly destinationAlgorithm?: EncryptionAlgorithm;
}

export interface ReEncryptOutput extends EncryptOutput {
  readonly sourceKeyId: string;
  readonly sourceKeyVersion: number;
}

/**
 * Decrypts and encrypts again under another key (or the same key's newest
 * version, or another context) without the plaintext leaving the service.
 */
export async function reEncrypt(
  ctx: RequestContext,
  input: ReEncryptInput,
): Promise<ReEncryptOutput> {
  checkContext(input.destinationEncryptionContext);
  const destination = await loadAuthorizedKey(
    ctx,
    input.destinationKeyId,
    'kms:ReEncryptTo',
    input.destinationEncryptionContext,
  );
  const source = await decryptAs(
    ctx,
    {
      ciphertext: input.ciphertext,
      ...(input.sourceEncryptionContext !== undefined && {
        encryptionContext: input.sourceEncryptionContext,
      }),
      ...(input.sourceKeyId !== undefined && { keyId: input.sourceKeyId }),
      ...(input.sourceAlgorithm !== undefined && { algorithm: input.sourceAlgorithm }),
    },
    'kms:ReEncryptFrom',
  );
  try {
    const out = encryptWith(ctx, destination, {
      plaintext: source.plaintext.bytes,
      ...(input.destinationEncryptionContext !== undefined && {
        encryptionContext: input.destinationEncryptionContext,
      }),
      ...(input.destinationAlgorithm !== undefined && { algorithm: input.destinationAlgorithm }),
    });
    return { ...out, sourceKeyId: source.keyId, sourceKeyVersion: source.keyVersion };
  } finally {
    source.plaintext.zero();
  }
}
