import {
  type EcdsaEncoding,
  type MessageType,
  SIGNING_ALGORITHMS,
  type SigningAlgorithm,
  verify as verifyWithKey,
} from '@custos/crypto';
import { createPublicKey } from 'node:crypto';
import { loadAuthorizedKey } from './authorized-key.js';
import type { RequestContext } from './context.js';
import {
  assertOperable,
  publicKeyObject,
  publicKeyVersions,
  verifyingVersions,
  withMaterial,
} from './key-material.js';
import { MAX_MESSAGE_BYTES, assertSigningAlgorithm, derivationOf } from './sign.js';
import { derivedEd25519Key } from './vault/ed25519-derivation.js';
import { checkBytes, checkInteger, checkOneOf, mapCryptoError } from './validate.js';

export interface VerifyInput {
  readonly keyId: string;
  readonly message: Uint8Array;
  readonly messageType?: MessageType;
  readonly signature: Uint8Array;
  readonly algorithm: SigningAlgorithm;
  readonly encoding?: EcdsaEncoding;
  /** Check against this version only; by default every version still in service. */
  readonly keyVersion?: number;
  /** A Vault derived ed25519 key's context (see SignInput); required for such keys. */
  readonly derivationContext?: Uint8Array;
}

export interface VerifyOutput {
  readonly valid: boolean;
  readonly keyId: string;
  /** The version whose signature it is, when valid. */
  readonly keyVersion: number | null;
  readonly algorithm: SigningAlgorithm;
}

/**
 * Verifies a signature against the key's versions in service, newest first.
 * An invalid signature is `valid: false`, not an error: each door decides how
 * to say it (AWS KMS raises KMSInvalidSignatureException).
 */
export async function verify(ctx: RequestContext, input: VerifyInput): Promise<VerifyOutput> {
  checkBytes('message', input.message, 1, MAX_MESSAGE_BYTES);
  checkBytes('signature', input.signature, 1, 1024);
  checkOneOf('algorithm', input.algorithm, SIGNING_ALGORITHMS);
  const messageType = input.messageType ?? 'RAW';
  checkOneOf('messageType', messageType, ['RAW', 'DIGEST'] as const);
  if (input.encoding !== undefined)
    checkOneOf('encoding', input.encoding, ['der', 'ieee-p1363'] as const);
  if (input.keyVersion !== undefined) checkInteger('keyVersion', input.keyVersion, 1, 0xffffffff);
  const loaded = await loadAuthorizedKey(ctx, input.keyId, 'kms:Verify');
  const spec = assertOperable(loaded, 'SIGN_VERIFY');
  assertSigningAlgorithm(spec, input.algorithm);
  const request = {
    spec,
    algorithm: input.algorithm,
    messageType,
    message: input.message,
    ...(input.encoding !== undefined && { encoding: input.encoding }),
  };
  const context = derivationOf(loaded.key, spec, input.derivationContext);
  // A derived key's public key comes from its version's private material.
  const versions =
    context === undefined
      ? publicKeyVersions(loaded, input.keyVersion)
      : verifyingVersions(loaded, input.keyVersion);
  const publicKeyOf = (version: (typeof versions)[number]) =>
    context === undefined
      ? publicKeyObject(version)
      : withMaterial(ctx, version, (pkcs8) => createPublicKey(derivedEd25519Key(pkcs8, context)));
  try {
    for (const version of versions) {
      if (verifyWithKey(request, publicKeyOf(version), input.signature)) {
        ctx.kms.usage.record(loaded.key.id, version.version, ctx.kms.clock.now(), 0);
        return {
          valid: true,
          keyId: loaded.key.id,
          keyVersion: version.version,
          algorithm: input.algorithm,
        };
      }
    }
  } catch (error) {
    mapCryptoError(error);
  }
  return { valid: false, keyId: loaded.key.id, keyVersion: null, algorithm: input.algorithm };
}
