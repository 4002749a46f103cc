import { keySpec } from '@custos/crypto';
import { createPublicKey } from 'node:crypto';
import { assertUsable } from '../../core/lifecycle.js';
import { loadAuthorizedKey } from '../authorized-key.js';
import type { RequestContext } from '../context.js';
import { withMaterial } from '../key-material.js';
import { derivationOf } from '../sign.js';
import { derivedEd25519Key } from './ed25519-derivation.js';

export interface DerivedPublicKeysInput {
  readonly keyId: string;
  /** The derivation context (bytes); required, as for signing. */
  readonly context: Uint8Array;
}

/**
 * Vault's key read with a `context` (openbao path_keys.go): the public key
 * (SPKI DER) each version of a derived ed25519 key has for that context,
 * by version. Empty for keys that do not derive (their read shows their own
 * public keys). Authorized as kms:GetPublicKey.
 */
export async function derivedPublicKeys(
  ctx: RequestContext,
  input: DerivedPublicKeysInput,
): Promise<ReadonlyMap<number, Buffer>> {
  const loaded = await loadAuthorizedKey(ctx, input.keyId, 'kms:GetPublicKey');
  assertUsable(loaded.key);
  const keys = new Map<number, Buffer>();
  const context = derivationOf(loaded.key, keySpec(loaded.key.spec), input.context);
  if (context === undefined) return keys;
  for (const version of loaded.versions) {
    if (version.state !== 'Enabled' || version.wrappedMaterial === null) continue;
    const spki = withMaterial(ctx, version, (pkcs8) =>
      createPublicKey(derivedEd25519Key(pkcs8, context)).export({ format: 'der', type: 'spki' }),
    );
    keys.set(version.version, spki);
  }
  return keys;
}
