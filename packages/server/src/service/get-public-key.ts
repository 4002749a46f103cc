import { keySpec } from '@custos/crypto';
import { InvalidStateError, NotFoundError, UnsupportedError } from '../core/errors.js';
import { assertUsable } from '../core/lifecycle.js';
import { loadAuthorizedKey } from './authorized-key.js';
import type { RequestContext } from './context.js';
import { checkInteger } from './validate.js';

export interface GetPublicKeyInput {
  readonly keyId: string;
  /** Default: the primary version. */
  readonly keyVersion?: number;
}

export interface GetPublicKeyOutput {
  readonly keyId: string;
  readonly keyVersion: number;
  readonly spec: string;
  readonly usage: string;
  /** SPKI DER. */
  readonly publicKey: Buffer;
  readonly signingAlgorithms: readonly string[];
  readonly encryptionAlgorithms: readonly string[];
}

/** The public half of an asymmetric key, for use outside Custos. */
export async function getPublicKey(
  ctx: RequestContext,
  input: GetPublicKeyInput,
): Promise<GetPublicKeyOutput> {
  if (input.keyVersion !== undefined) checkInteger('keyVersion', input.keyVersion, 1, 0xffffffff);
  const loaded = await loadAuthorizedKey(ctx, input.keyId, 'kms:GetPublicKey');
  assertUsable(loaded.key);
  const spec = keySpec(loaded.key.spec);
  if (spec.symmetric)
    throw new UnsupportedError(`key ${loaded.key.id} is symmetric and has no public key`);
  const wanted = input.keyVersion ?? loaded.key.primaryVersion;
  const version = loaded.versions.find((v) => v.version === wanted);
  if (version === undefined)
    throw new NotFoundError(`key ${loaded.key.id} has no version ${String(wanted)}`);
  if (version.publicKey === null)
    throw new InvalidStateError(`version ${String(wanted)} has no public key`);
  return {
    keyId: loaded.key.id,
    keyVersion: version.version,
    spec: spec.name,
    usage: loaded.key.usage,
    publicKey: version.publicKey,
    signingAlgorithms: loaded.key.usage === 'SIGN_VERIFY' ? spec.signingAlgorithms : [],
    encryptionAlgorithms: loaded.key.usage === 'ENCRYPT_DECRYPT' ? spec.encryptionAlgorithms : [],
  };
}
