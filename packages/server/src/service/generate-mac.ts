import { MAC_ALGORITHMS, type MacAlgorithm, hmac } from '@custos/crypto';
import { InvalidInputError } from '../core/errors.js';
import { loadAuthorizedKey } from './authorized-key.js';
import type { RequestContext } from './context.js';
import type { LoadedKey } from './key-cache.js';
import { assertOperable, primaryVersion, withMaterial } from './key-material.js';
import { MAX_MESSAGE_BYTES } from './sign.js';
import { checkBytes, checkOneOf } from './validate.js';

export interface GenerateMacInput {
  readonly keyId: string;
  readonly message: Uint8Array;
  readonly algorithm: MacAlgorithm;
}

export interface GenerateMacOutput {
  readonly mac: Buffer;
  readonly keyId: string;
  readonly keyVersion: number;
  readonly algorithm: MacAlgorithm;
}

/** Checks a MAC request against a GENERATE_VERIFY_MAC key; returns the hash to use. */
export function macHash(loaded: LoadedKey, algorithm: MacAlgorithm) {
  const spec = assertOperable(loaded, 'GENERATE_VERIFY_MAC');
  if (!spec.macAlgorithms.includes(algorithm) || spec.hash === undefined) {
    throw new InvalidInputError(`${algorithm} is not valid for key spec ${spec.name}`);
  }
  return spec.hash;
}

export async function generateMac(
  ctx: RequestContext,
  input: GenerateMacInput,
): Promise<GenerateMacOutput> {
  checkBytes('message', input.message, 1, MAX_MESSAGE_BYTES);
  checkOneOf('algorithm', input.algorithm, MAC_ALGORITHMS);
  const loaded = await loadAuthorizedKey(ctx, input.keyId, 'kms:GenerateMac');
  const hash = macHash(loaded, input.algorithm);
  const version = primaryVersion(loaded);
  const mac = withMaterial(ctx, version, (key) => hmac(hash, key, input.message));
  ctx.kms.usage.record(loaded.key.id, version.version, ctx.kms.clock.now());
  return { mac, keyId: loaded.key.id, keyVersion: version.version, algorithm: input.algorithm };
}
