import type { SecretBytes } from '@custos/crypto';
import {
  type EncryptionContext,
  generateKeyMaterial,
  keySpec,
  publicKeyOfPkcs8,
} from '@custos/crypto';
import { InvalidInputError } from '../core/errors.js';
import { loadAuthorizedKey } from './authorized-key.js';
import type { RequestContext } from './context.js';
import { encryptWith } from './encrypt.js';
import { assertOperable } from './key-material.js';
import { checkContext, checkOneOf } from './validate.js';

export const DATA_KEY_PAIR_SPECS = [
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ED25519',
] as const;
export type DataKeyPairSpec = (typeof DATA_KEY_PAIR_SPECS)[number];

export interface GenerateDataKeyPairInput {
  readonly keyId: string;
  readonly keyPairSpec: DataKeyPairSpec;
  readonly encryptionContext?: EncryptionContext;
  readonly withPlaintext: boolean;
}

export interface GenerateDataKeyPairOutput {
  readonly keyPairSpec: DataKeyPairSpec;
  /** SPKI DER. */
  readonly publicKey: Buffer;
  /** The PKCS#8 private key encrypted under the symmetric key. */
  readonly privateKeyCiphertext: Buffer;
  /** PKCS#8 DER; absent when withPlaintext was false; otherwise the caller's to zero. */
  readonly privateKeyPlaintext?: SecretBytes;
  readonly keyId: string;
  readonly keyVersion: number;
}

/** A fresh asymmetric key pair whose private half is returned encrypted under a symmetric key. */
export async function generateDataKeyPair(
  ctx: RequestContext,
  input: GenerateDataKeyPairInput,
): Promise<GenerateDataKeyPairOutput> {
  checkOneOf('keyPairSpec', input.keyPairSpec, DATA_KEY_PAIR_SPECS);
  checkContext(input.encryptionContext);
  const action = input.withPlaintext
    ? 'kms:GenerateDataKeyPair'
    : 'kms:GenerateDataKeyPairWithoutPlaintext';
  const loaded = await loadAuthorizedKey(ctx, input.keyId, action, input.encryptionContext);
  if (!assertOperable(loaded, 'ENCRYPT_DECRYPT').symmetric) {
    throw new InvalidInputError('data key pairs are generated under symmetric keys only');
  }
  const privateKey = generateKeyMaterial(keySpec(input.keyPairSpec));
  try {
    const out = encryptWith(ctx, loaded, {
      plaintext: privateKey.bytes,
      ...(input.encryptionContext !== undefined && { encryptionContext: input.encryptionContext }),
    });
    return {
      keyPairSpec: input.keyPairSpec,
      publicKey: publicKeyOfPkcs8(privateKey.bytes),
      privateKeyCiphertext: out.ciphertext,
      keyId: out.keyId,
      keyVersion: out.keyVersion,
      ...(input.withPlaintext && { privateKeyPlaintext: privateKey.clone() }),
    };
  } finally {
    privateKey.zero();
  }
}
