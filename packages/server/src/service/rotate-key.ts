import { keySpec } from '@custos/crypto';
import { UnsupportedError } from '../core/errors.js';
import type { KeyRecord } from '../core/key.js';
import { addDays, assertUsable } from '../core/lifecycle.js';
import { loadAuthorizedKey } from './authorized-key.js';
import type { RequestContext } from './context.js';
import type { LoadedKey } from './key-cache.js';
import { loadKey } from './key-loader.js';
import { type KeyView, keyView } from './key-view.js';
import { changeKey } from './key-writes.js';
import { newVersion } from './new-version.js';

export interface RotateKeyInput {
  readonly keyId: string;
}

/**
 * Adds a version and makes it primary. Old versions keep decrypting and
 * verifying. Keys whose material was imported cannot be rotated here: the
 * new material would have to come from the importer.
 */
export async function rotateKey(ctx: RequestContext, input: RotateKeyInput): Promise<KeyView> {
  const loaded = await loadAuthorizedKey(ctx, input.keyId, 'kms:RotateKeyOnDemand');
  return keyView(ctx, await rotateLoadedKey(ctx, loaded));
}

/** Shared by on-demand and scheduled rotation. */
export async function rotateLoadedKey(ctx: RequestContext, loaded: LoadedKey): Promise<LoadedKey> {
  assertUsable(loaded.key);
  if (loaded.key.origin !== 'CUSTOS') {
    throw new UnsupportedError(
      `key ${loaded.key.id} has ${loaded.key.origin} material and cannot be rotated`,
    );
  }
  return addGeneratedVersion(ctx, loaded);
}

/**
 * The rotation itself: a fresh Custos-generated version becomes primary.
 * Callers decide whether the key may rotate (the Vault door lets imported
 * keys created with `allow_rotation` do so).
 */
export async function addGeneratedVersion(
  ctx: RequestContext,
  loaded: LoadedKey,
): Promise<LoadedKey> {
  assertUsable(loaded.key);
  const now = ctx.kms.clock.now();
  const next = Math.max(0, ...loaded.versions.map((v) => v.version)) + 1;
  const version = newVersion(ctx, loaded.key.id, next, keySpec(loaded.key.spec));
  const key: KeyRecord = {
    ...loaded.key,
    primaryVersion: next,
    nextRotationAt:
      loaded.key.rotationPeriodDays === null ? null : addDays(now, loaded.key.rotationPeriodDays),
    updatedAt: now,
  };
  await changeKey(ctx, key.id, async (tx) => {
    // Key first: a racing rotation then fails its row-version check (Conflict, retryable)
    // rather than colliding on the version number it also chose (AlreadyExists).
    await tx.updateKey(key);
    await tx.insertVersion(version);
  });
  return loadKey(ctx, key.id);
}
