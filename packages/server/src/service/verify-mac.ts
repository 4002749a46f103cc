import { MAC_ALGORITHMS, type MacAlgorithm, hmacVerify } from '@custos/crypto';
import { loadAuthorizedKey } from './authorized-key.js';
import type { RequestContext } from './context.js';
import { macHash } from './generate-mac.js';
import { verifyingVersions, withMaterial } from './key-material.js';
import { MAX_MESSAGE_BYTES } from './sign.js';
import { checkBytes, checkOneOf } from './validate.js';

export interface VerifyMacInput {
  readonly keyId: string;
  readonly message: Uint8Array;
  readonly mac: Uint8Array;
  readonly algorithm: MacAlgorithm;
}

export interface VerifyMacOutput {
  readonly valid: boolean;
  readonly keyId: string;
  readonly keyVersion: number | null;
  readonly algorithm: MacAlgorithm;
}

/** Verifies a MAC in constant time against every version in service. */
export async function verifyMac(
  ctx: RequestContext,
  input: VerifyMacInput,
): Promise<VerifyMacOutput> {
  checkBytes('message', input.message, 1, MAX_MESSAGE_BYTES);
  checkBytes('mac', input.mac, 1, 64);
  checkOneOf('algorithm', input.algorithm, MAC_ALGORITHMS);
  const loaded = await loadAuthorizedKey(ctx, input.keyId, 'kms:VerifyMac');
  const hash = macHash(loaded, input.algorithm);
  for (const version of verifyingVersions(loaded)) {
    if (withMaterial(ctx, version, (key) => hmacVerify(hash, key, input.message, input.mac))) {
      ctx.kms.usage.record(loaded.key.id, version.version, ctx.kms.clock.now(), 0);
      return {
        valid: true,
        keyId: loaded.key.id,
        keyVersion: version.version,
        algorithm: input.algorithm,
      };
    }
  }
  return { valid: false, keyId: loaded.key.id, keyVersion: null, algorithm: input.algorithm };
}
