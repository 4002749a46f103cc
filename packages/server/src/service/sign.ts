import {
  type EcdsaEncoding,
  type KeySpec,
  type MessageType,
  SIGNING_ALGORITHMS,
  type SigningAlgorithm,
  sign as signWithKey,
} from '@custos/crypto';
import { createPublicKey } from 'node:crypto';
import { InvalidInputError, InvalidStateError } from '../core/errors.js';
import { loadAuthorizedKey } from './authorized-key.js';
import type { RequestContext } from './context.js';
import { assertOperable, primaryVersion, withMaterial, withPrivateKey } from './key-material.js';
import type { KeyRecord, KeyVersion } from '../core/key.js';
import type { LoadedKey } from './key-cache.js';
import { keyDerivation, signingContext } from './vault/derivation.js';
import { derivedEd25519Key } from './vault/ed25519-derivation.js';
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
  /**
   * The context of a Vault derived ed25519 key: it selects the key that
   * signs (docs/vault.md). Required for such keys, ignored by every other.
   */
  readonly derivationContext?: Uint8Array;
}

export interface SignOutput {
  readonly signature: Buffer;
  /** A derived key's public key (SPKI DER) for the request's context. */
  readonly derivedPublicKey?: Buffer;
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
  const context = derivationOf(loaded.key, spec, input.derivationContext);
  const version = signingVersion(loaded);
  const request = {
    spec,
    algorithm: input.algorithm,
    messageType,
    message: input.message,
    ...(input.encoding !== undefined && { encoding: input.encoding }),
  };
  let signature: Buffer;
  let derivedPublicKey: Buffer | undefined;
  try {
    signature =
      context === undefined
        ? withPrivateKey(ctx, version, (key) => signWithKey(request, key))
        : withMaterial(ctx, version, (pkcs8) => {
            const key = derivedEd25519Key(pkcs8, context);
            derivedPublicKey = createPublicKey(key).export({ format: 'der', type: 'spki' });
            return signWithKey(request, key);
          });
  } catch (error) {
    mapCryptoError(error);
  }
  ctx.kms.usage.record(loaded.key.id, version.version, ctx.kms.clock.now());
  return {
    signature,
    ...(derivedPublicKey !== undefined && { derivedPublicKey }),
    keyId: loaded.key.id,
    keyVersion: version.version,
    algorithm: input.algorithm,
  };
}

/**
 * The derivation context of a derived key's request, or undefined for a key
 * that does not derive (whose context is ignored, as Vault ignores it). Only
 * ed25519 signing keys derive.
 */
export function derivationOf(
  key: KeyRecord,
  spec: KeySpec,
  context: Uint8Array | undefined,
): Buffer | undefined {
  if (!keyDerivation(key).derived) return undefined;
  if (spec.name !== 'ED25519') {
    throw new InvalidStateError(`key ${key.id} is marked derived but is not an ed25519 key`);
  }
  return signingContext(context);
}

/**
 * The primary version, which must hold its private key: one imported as a
 * public key alone verifies but is refused here with Vault's words.
 */
function signingVersion(loaded: LoadedKey): KeyVersion {
  const primary = loaded.versions.find((v) => v.version === loaded.key.primaryVersion);
  if (
    primary?.state === 'Enabled' &&
    primary.wrappedMaterial === null &&
    primary.publicKey !== null
  ) {
    throw new InvalidStateError('requested version for signing does not contain a private part');
  }
  return primaryVersion(loaded);
}
