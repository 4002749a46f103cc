import { generateKeyMaterial, keySpec, newUuid, publicKeyOfPkcs8 } from '@custos/crypto';
import type { ImportToken } from '../core/key.js';
import { loadAuthorizedKey } from './authorized-key.js';
import type { RequestContext } from './context.js';
import {
  WRAPPING_ALGORITHM_NAMES,
  WRAPPING_KEY_SPECS,
  type WrappingAlgorithm,
  type WrappingKeySpec,
  importTokenBytes,
  importTokenPurpose,
} from './import-wrapping.js';
import { assertImportable } from './import-material.js';
import { checkOneOf } from './validate.js';
import { auditedTransaction } from './audited.js';

export interface GetParametersForImportInput {
  readonly keyId: string;
  readonly wrappingAlgorithm: WrappingAlgorithm;
  readonly wrappingKeySpec: WrappingKeySpec;
}

export interface GetParametersForImportOutput {
  readonly keyId: string;
  /** Opaque; hand it back to importKeyMaterial with the material. */
  readonly importToken: Buffer;
  /** The RSA wrapping public key, SPKI DER. */
  readonly publicKey: Buffer;
  readonly parametersValidTo: Date;
}

/**
 * Hands out a fresh RSA wrapping key pair and an import token for it (AWS KMS
 * GetParametersForImport). The private half is kept sealed under the domain
 * key until the import uses it or it expires (config.importTokenTtlMs).
 *
 * @example
 * const p = await getParametersForImport(ctx, { keyId, wrappingAlgorithm: 'RSA_AES_KEY_WRAP_SHA_256', wrappingKeySpec: 'RSA_3072' });
 */
export async function getParametersForImport(
  ctx: RequestContext,
  input: GetParametersForImportInput,
): Promise<GetParametersForImportOutput> {
  checkOneOf('wrappingAlgorithm', input.wrappingAlgorithm, WRAPPING_ALGORITHM_NAMES);
  checkOneOf('wrappingKeySpec', input.wrappingKeySpec, WRAPPING_KEY_SPECS);
  const loaded = await loadAuthorizedKey(ctx, input.keyId, 'kms:GetParametersForImport');
  assertImportable(loaded);
  const now = ctx.kms.clock.now();
  const id = newUuid();
  // Synchronous generation: RSA-4096 blocks for up to a few seconds, rare enough here.
  const pair = generateKeyMaterial(keySpec(input.wrappingKeySpec));
  let token: ImportToken;
  try {
    token = {
      id,
      keyId: loaded.key.id,
      wrappingAlgorithm: input.wrappingAlgorithm,
      wrappingKeySpec: input.wrappingKeySpec,
      wrappedPrivateKey: ctx.kms.keyring.wrapSecret(importTokenPurpose(id), pair.bytes),
      publicKey: publicKeyOfPkcs8(pair.bytes),
      expiresAt: new Date(now.getTime() + ctx.kms.config.importTokenTtlMs),
      createdAt: now,
    };
  } finally {
    pair.zero();
  }
  await auditedTransaction(ctx, (tx) => tx.putImportToken(token));
  return {
    keyId: loaded.key.id,
    importToken: importTokenBytes(id),
    publicKey: token.publicKey,
    parametersValidTo: token.expiresAt,
  };
}
