import { InvalidStateError, NotFoundError } from '../core/errors.js';
import type { VersionState } from '../core/key.js';
import { loadAuthorizedKey } from './authorized-key.js';
import type { RequestContext } from './context.js';
import { loadKey } from './key-loader.js';
import { type KeyView, keyView } from './key-view.js';
import { changeKey } from './key-writes.js';
import { assertNotDestroyed } from './update-key.js';
import { checkInteger, checkOneOf } from './validate.js';

export interface UpdateKeyVersionInput {
  readonly keyId: string;
  readonly version: number;
  readonly state: Exclude<VersionState, 'Destroyed'>;
}

/**
 * Disables, re-enables or marks compromised one version. A disabled or
 * compromised version neither encrypts nor decrypts; compromise is final.
 * The primary version cannot be taken out of service: rotate first, so that
 * encryption never silently stops.
 */
export async function updateKeyVersion(
  ctx: RequestContext,
  input: UpdateKeyVersionInput,
): Promise<KeyView> {
  checkOneOf('state', input.state, ['Enabled', 'Disabled', 'Compromised'] as const);
  checkInteger('version', input.version, 1, 0xffffffff);
  const loaded = await loadAuthorizedKey(ctx, input.keyId, 'kms:UpdateKeyVersion');
  assertNotDestroyed(loaded);
  const version = loaded.versions.find((v) => v.version === input.version);
  if (version === undefined) {
    throw new NotFoundError(`key ${loaded.key.id} has no version ${String(input.version)}`);
  }
  if (version.state === input.state) return keyView(ctx, loaded);
  if (version.state === 'Compromised' || version.state === 'Destroyed') {
    throw new InvalidStateError(
      `version ${String(version.version)} is ${version.state}; that is final`,
    );
  }
  if (input.state !== 'Enabled' && version.version === loaded.key.primaryVersion) {
    throw new InvalidStateError('the primary version cannot be disabled; rotate the key first');
  }
  await changeKey(ctx, loaded.key.id, (tx) => tx.updateVersion({ ...version, state: input.state }));
  ctx.kms.keyring.forgetKey(loaded.key.id);
  return keyView(ctx, await loadKey(ctx, loaded.key.id));
}
