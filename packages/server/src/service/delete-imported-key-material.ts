import { UnsupportedError } from '../core/errors.js';
import { loadAuthorizedKey } from './authorized-key.js';
import type { RequestContext } from './context.js';
import { eraseImportedMaterial } from './destroy-key.js';
import { loadKey } from './key-loader.js';
import { type KeyView, keyView } from './key-view.js';
import { assertNotDestroyed } from './update-key.js';

export interface DeleteImportedKeyMaterialInput {
  readonly keyId: string;
}

/**
 * Erases a key's imported material now (AWS KMS DeleteImportedKeyMaterial):
 * the key goes to PendingImport (or stays PendingDeletion) and works again
 * only once the same material is imported. A key with no material left is
 * returned unchanged.
 *
 * @example
 * await deleteImportedKeyMaterial(ctx, { keyId });
 */
export async function deleteImportedKeyMaterial(
  ctx: RequestContext,
  input: DeleteImportedKeyMaterialInput,
): Promise<KeyView> {
  const loaded = await loadAuthorizedKey(ctx, input.keyId, 'kms:DeleteImportedKeyMaterial');
  assertNotDestroyed(loaded);
  if (loaded.key.origin !== 'EXTERNAL') {
    throw new UnsupportedError(
      `key ${loaded.key.id} has ${loaded.key.origin} origin; it has no imported material`,
    );
  }
  const hasMaterial = loaded.versions.some((v) => v.wrappedMaterial !== null);
  if (!hasMaterial && loaded.key.materialExpiresAt === null) return keyView(ctx, loaded);
  await eraseImportedMaterial(ctx, loaded);
  return keyView(ctx, await loadKey(ctx, loaded.key.id));
}
