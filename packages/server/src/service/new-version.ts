import { type KeySpec, SecretBytes, generateKeyMaterial, publicKeyOfPkcs8 } from '@custos/crypto';
import type { KeyVersion } from '../core/key.js';
import type { RequestContext } from './context.js';

/**
 * A new version record: material (generated unless given) sealed under the
 * domain key, with the public key for asymmetric specs. Generated material is
 * zeroed here; given material stays the caller's to zero.
 */
export function newVersion(
  ctx: RequestContext,
  keyId: string,
  version: number,
  spec: KeySpec,
  material?: SecretBytes,
): KeyVersion {
  const own = material === undefined ? generateKeyMaterial(spec) : undefined;
  const secret = material ?? own ?? SecretBytes.random(0);
  try {
    return {
      keyId,
      version,
      state: 'Enabled',
      createdAt: ctx.kms.clock.now(),
      wrappedMaterial: ctx.kms.keyring.wrapVersion(keyId, version, secret.bytes),
      publicKey: spec.symmetric ? null : publicKeyOfPkcs8(secret.bytes),
      usageCount: 0,
      rowVersion: 1,
    };
  } finally {
    own?.zero();
  }
}
