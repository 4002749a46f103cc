import {
  type EcdsaEncoding,
  type KeySpec,
  type MessageType,
  SIGNING_ALGORITHMS,
  type SigningAlgorithm,
  sign as signWithKey,
} from '@custos/crypto';
import { InvalidInputError } from '../core/errors.js';
import { loadAuthorizedKey } from './authorized-key.js';
import type { RequestContext } from './context.js';
import { assertOperable, primaryVersion, withPrivateKey } from './key-material.js';
import { checkBytes, checkOneOf, mapCryptoError } from './validate.js';

export const MAX_MESSAGE_BYTES = 4096;

export interface SignInput {
  readonly keyId: string;
  readonly message: Uint8Array;
  /** RAW (default) or DIGEST: the message is already the hash. */
  readonly messageType?: MessageType;
  readonly algorithm: SigningAlgorithm;
  /** ECDSA only: DER (default, as AWS KMS) or IEEE-P1363 (as JOSE). */
  readonly encoding?: EcdsaEncoding;
}

export interface SignOutput {
  readonly signature: Buffer;
  readonly keyId: string;
  readonly keyVersion: number;
  readonly algorithm: SigningAlgorithm;
}

/** Each spec signs with its own algorithms only (as AWS KMS: a P-256 key with ECDSA_SHA_256). */
export function assertSigningAlgorithm(spec: KeySpec, algorithm: SigningAlgorithm): void {
  if (!spec.signingAlgorithms.includes(algorithm)) {
    throw new InvalidInputError(`${algorithm} is not valid for key spec ${spec.name}`);
  }
}

/** Signs with the primary version of a SIGN_VERIFY key. */
export async function sign(ctx: RequestContext, input: SignInput): Promise<SignOutput> {
  checkBytes('message', input.message, 1, MAX_MESSAGE_BYTES);
  checkOneOf('algorithm', input.algorithm, SIGNING_ALGORITHMS);
  const messageType = input.messageType ?? 'RAW';
  checkOneOf('messageType', messageType, ['RAW', 'DIGEST'] as const);
  if (input.encoding !== undefined)
    checkOneOf('encoding', input.encoding, ['der', 'ieee-p1363'] as const);
  const loaded = await loadAuthorizedKey(ctx, input.keyId, 'kms:Sign');
  const spec = assertOperable(loaded, 'SIGN_VERIFY');
  assertSigningAlgorithm(spec, input.algorithm);
  const version = primaryVersion(loaded);
  let signature: Buffer;
  try {
    signature = withPrivateKey(ctx, version, (key) =>
      signWithKey(
        {
          spec,
          algorithm: input.algorithm,
          messageType,
          message: input.message,
          ...(input.encoding !== undefined && { encoding: input.encoding }),
        },
        key,
      ),
    );
  } catch (error) {
    mapCryptoError(error);
  }
  ctx.kms.usage.record(loaded.key.id, version.version, ctx.kms.clock.now());
  return {
    signature,
    keyId: loaded.key.id,
    keyVersion: version.version,
    algorithm: input.algorithm,
  };
}
