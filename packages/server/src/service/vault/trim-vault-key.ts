import { InvalidInputError } from '../../core/errors.js';
import type { KeyRecord } from '../../core/key.js';
import { loadAuthorizedKey } from '../authorized-key.js';
import type { RequestContext } from '../context.js';
import { loadKey } from '../key-loader.js';
import { changeKey } from '../key-writes.js';
import { assertNotDestroyed } from '../update-key.js';
import { VAULT_ATTRIBUTES, type VaultKeyView, vaultKeyView } from './vault-key.js';

export interface TrimVaultKeyInput {
  readonly keyId: string;
  /** Versions below this lose their material for good. */
  readonly minAvailableVersion: number;
}

/** The Vault floor a key carries in its attributes; 0 when never set. */
export function minAvailableVersion(key: KeyRecord): number {
  return Number(key.attributes[VAULT_ATTRIBUTES.minAvailableVersion] ?? '0');
}

/**
 * Vault's `POST keys/:name/trim` (openbao path_trim.go): every version below
 * `min_available_version` is destroyed (its material erased, the record kept
 * as a tombstone, as a destroyed key's). It destroys material, so it is
 * authorized as kms:UpdateKeyVersion and kms:ScheduleKeyDeletion both.
 */
export async function trimVaultKey(
  ctx: RequestContext,
  input: TrimVaultKeyInput,
): Promise<VaultKeyView> {
  const loaded = await loadAuthorizedKey(ctx, input.keyId, [
    'kms:UpdateKeyVersion',
    'kms:ScheduleKeyDeletion',
  ]);
  assertNotDestroyed(loaded);
  const { key } = loaded;
  const wanted = input.minAvailableVersion;
  const minEncryption = Number(key.attributes[VAULT_ATTRIBUTES.minEncryptionVersion] ?? '0');
  /* Preconditions, in openbao's order and words: trimming never reaches a version still in use. */
  if (wanted < minAvailableVersion(key)) {
    throw new InvalidInputError('minimum available version cannot be decremented');
  }
  if (minEncryption === 0) {
    throw new InvalidInputError(
      'minimum available version cannot be set when minimum encryption version is not set',
    );
  }
  if (wanted > minEncryption) {
    throw new InvalidInputError(
      'minimum available version cannot be greater than minmum encryption version',
    );
  }
  if (wanted > key.minDecryptionVersion) {
    throw new InvalidInputError(
      'minimum available version cannot be greater than minimum decryption version',
    );
  }
  if (wanted < 0) throw new InvalidInputError('minimum available version cannot be negative');
  if (wanted === 0) throw new InvalidInputError('minimum available version should be positive');

  const now = ctx.kms.clock.now();
  const updated: KeyRecord = {
    ...key,
    attributes: { ...key.attributes, [VAULT_ATTRIBUTES.minAvailableVersion]: String(wanted) },
    updatedAt: now,
  };
  await changeKey(ctx, key.id, async (tx) => {
    for (const version of loaded.versions) {
      if (version.version < wanted && version.state !== 'Destroyed') {
        await tx.updateVersion({ ...version, state: 'Destroyed', wrappedMaterial: null });
      }
    }
    await tx.updateKey(updated);
  });
  ctx.kms.keyring.forgetKey(key.id);
  return vaultKeyView(ctx, await loadKey(ctx, key.id));
}
