import { InvalidInputError } from '../../core/errors.js';
import { loadAuthorizedKey } from '../authorized-key.js';
import type { RequestContext } from '../context.js';
import { addGeneratedVersion, rotateLoadedKey } from '../rotate-key.js';
import { VAULT_ATTRIBUTES, type VaultKeyView, vaultKeyView } from './vault-key.js';

export interface RotateVaultKeyInput {
  /** The Vault name's alias (`alias/vault/<mount>/<name>`). */
  readonly keyId: string;
  /** The Vault key name, for Vault's message. */
  readonly name: string;
}

/**
 * Vault's `POST keys/:name/rotate` (openbao policy.go Rotate): a generated
 * key rotates as on every door; an imported one only if it was imported
 * with `allow_rotation`, and then its new version is Custos-generated
 * material (its older versions stay the imported ones). Authorized as
 * kms:RotateKeyOnDemand.
 */
export async function rotateVaultKey(
  ctx: RequestContext,
  input: RotateVaultKeyInput,
): Promise<VaultKeyView> {
  const loaded = await loadAuthorizedKey(ctx, input.keyId, 'kms:RotateKeyOnDemand');
  if (loaded.key.origin !== 'EXTERNAL') {
    return vaultKeyView(ctx, await rotateLoadedKey(ctx, loaded));
  }
  if (loaded.key.attributes[VAULT_ATTRIBUTES.allowRotation] !== 'true') {
    throw new InvalidInputError(`imported key ${input.name} does not allow rotation within Vault`);
  }
  return vaultKeyView(ctx, await addGeneratedVersion(ctx, loaded));
}
