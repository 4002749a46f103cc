import { type EncryptionContext, SecretBytes } from '@custos/crypto';
import { InvalidInputError } from '../core/errors.js';
import { loadAuthorizedKey } from './authorized-key.js';
import type { RequestContext } from './context.js';
import { encryptWith } from './encrypt.js';
import { assertOperable } from './key-material.js';
import { checkContext, checkInteger, checkOneOf } from './validate.js';

export const DATA_KEY_SPECS = ['AES_128', 'AES_256'] as const;
export type DataKeySpec = (typeof DATA_KEY_SPECS)[number];

export interface GenerateDataKeyInput {
  readonly keyId: string;
  /** Exactly one of keySpec and numberOfBytes (1–1024). */
  readonly keySpec?: DataKeySpec;
  readonly numberOfBytes?: number;
  readonly encryptionContext?: EncryptionContext;
  /** False: return only the encrypted copy (GenerateDataKeyWithoutPlaintext). */
  readonly withPlaintext: boolean;
}

export interface GenerateDataKeyOutput {
  /** Absent when withPlaintext was false; otherwise the caller's to zero. */
  readonly plaintext?: SecretBytes;
  readonly ciphertext: Buffer;
  readonly keyId: string;
  readonly keyVersion: number;
}

function dataKeyLength(input: GenerateDataKeyInput): number {
  if ((input.keySpec === undefined) === (input.numberOfBytes === undefined)) {
    throw new InvalidInputError('give exactly one of keySpec and numberOfBytes');
  }
  if (input.keySpec !== undefined) {
    checkOneOf('keySpec', input.keySpec, DATA_KEY_SPECS);
    return input.keySpec === 'AES_128' ? 16 : 32;
  }
  const n = input.numberOfBytes ?? 0;
  checkInteger('numberOfBytes', n, 1, 1024);
  return n;
}

/** A fresh random data key, returned encrypted under a symmetric key (and in plaintext). */
export async function generateDataKey(
  ctx: RequestContext,
  input: GenerateDataKeyInput,
): Promise<GenerateDataKeyOutput> {
  const length = dataKeyLength(input);
  checkContext(input.encryptionContext);
  const action = input.withPlaintext
    ? 'kms:GenerateDataKey'
    : 'kms:GenerateDataKeyWithoutPlaintext';
  const loaded = await loadAuthorizedKey(ctx, input.keyId, action, input.encryptionContext);
  if (!assertOperable(loaded, 'ENCRYPT_DECRYPT').symmetric) {
    throw new InvalidInputError('data keys are generated under symmetric keys only');
  }
  const dataKey = SecretBytes.random(length);
  try {
    const out = encryptWith(ctx, loaded, {
      plaintext: dataKey.bytes,
      ...(input.encryptionContext !== undefined && { encryptionContext: input.encryptionContext }),
    });
    return {
      ciphertext: out.ciphertext,
      keyId: out.keyId,
      keyVersion: out.keyVersion,
      ...(input.withPlaintext && { plaintext: dataKey.clone() }),
    };
  } finally {
    dataKey.zero();
  }
}
