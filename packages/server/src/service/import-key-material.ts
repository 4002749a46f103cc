import { keySpec } from '@custos/crypto';
import {
  ExpiredImportTokenError,
  InvalidImportTokenError,
  InvalidInputError,
} from '../core/errors.js';
import type { ImportToken, KeyRecord, KeyVersion } from '../core/key.js';
import { addDays } from '../core/lifecycle.js';
import { loadAuthorizedKey } from './authorized-key.js';
import type { RequestContext } from './context.js';
import {
  FINGERPRINT_ATTRIBUTE,
  assertImportable,
  assertSameMaterial,
  checkMaterial,
  sealFingerprint,
} from './import-material.js';
import { importTokenId, unwrapImported } from './import-wrapping.js';
import type { LoadedKey } from './key-cache.js';
import { loadKey } from './key-loader.js';
import { type KeyView, keyView } from './key-view.js';
import { changeKey } from './key-writes.js';
import { newVersion } from './new-version.js';
import { checkBytes, checkOneOf } from './validate.js';

export const EXPIRATION_MODELS = ['KEY_MATERIAL_EXPIRES', 'KEY_MATERIAL_DOES_NOT_EXPIRE'] as const;
export type ExpirationModel = (typeof EXPIRATION_MODELS)[number];

/** AWS KMS: imported material may be valid for at most 365 days. */
export const MAX_MATERIAL_VALIDITY_DAYS = 365;

/** Enough for an RSA-4096 private key wrapped with RSA-AES under an RSA-4096 key. */
const MAX_ENCRYPTED_MATERIAL_BYTES = 8192;

/** Imported material always becomes version 1: EXTERNAL keys never rotate. */
const IMPORTED_VERSION = 1;

export interface ImportKeyMaterialInput {
  readonly keyId: string;
  readonly importToken: Uint8Array;
  readonly encryptedKeyMaterial: Uint8Array;
  /** Default KEY_MATERIAL_DOES_NOT_EXPIRE. */
  readonly expirationModel?: ExpirationModel;
  /** Required with KEY_MATERIAL_EXPIRES: in the future, at most 365 days out. */
  readonly validTo?: Date;
}

/**
 * Imports material wrapped with the parameters of getParametersForImport (AWS
 * KMS ImportKeyMaterial). The first import fixes the key's material for good:
 * later imports (after expiry or deletion, or to change the expiry) must bring
 * the same material. A PendingImport key becomes Enabled; a Disabled key stays
 * Disabled, so re-importing never undoes a deliberate disable.
 *
 * @example
 * await importKeyMaterial(ctx, { keyId, importToken, encryptedKeyMaterial: rsaAesKeyWrap(pub, 'SHA-256', aesKey) });
 */
export async function importKeyMaterial(
  ctx: RequestContext,
  input: ImportKeyMaterialInput,
): Promise<KeyView> {
  const expirationModel = input.expirationModel ?? 'KEY_MATERIAL_DOES_NOT_EXPIRE';
  checkOneOf('expirationModel', expirationModel, EXPIRATION_MODELS);
  checkBytes('encryptedKeyMaterial', input.encryptedKeyMaterial, 1, MAX_ENCRYPTED_MATERIAL_BYTES);
  const tokenId = importTokenId(input.importToken);
  const loaded = await loadAuthorizedKey(ctx, input.keyId, 'kms:ImportKeyMaterial');
  assertImportable(loaded);
  const now = ctx.kms.clock.now();
  const materialExpiresAt = expiryOf(expirationModel, input.validTo, now);
  const token = await usableToken(ctx, loaded, tokenId, now);
  const { version, attributes, insert } = importedVersion(
    ctx,
    loaded,
    token,
    input.encryptedKeyMaterial,
  );
  const key: KeyRecord = {
    ...loaded.key,
    state: loaded.key.state === 'PendingImport' ? 'Enabled' : loaded.key.state,
    primaryVersion: IMPORTED_VERSION,
    materialExpiresAt,
    attributes,
    updatedAt: now,
  };
  await changeKey(ctx, key.id, async (tx) => {
    if (insert) await tx.insertVersion(version);
    else await tx.updateVersion(version);
    await tx.updateKey(key);
    await tx.deleteImportToken(token.id);
  });
  ctx.kms.keyring.forgetKey(key.id);
  return keyView(ctx, await loadKey(ctx, key.id));
}

/**
 * Unwraps and checks the material, and seals it as version 1: a new version
 * with the material's fingerprint on first import, else the existing version
 * refilled once the material proves to be the same.
 */
function importedVersion(
  ctx: RequestContext,
  loaded: LoadedKey,
  token: ImportToken,
  encrypted: Uint8Array,
): { version: KeyVersion; attributes: KeyRecord['attributes']; insert: boolean } {
  const { keyring } = ctx.kms;
  const spec = keySpec(loaded.key.spec);
  const existing = loaded.versions.find((v) => v.version === IMPORTED_VERSION);
  const material = unwrapImported(keyring, token, encrypted);
  try {
    const identity = checkMaterial(spec, material.bytes);
    if (existing === undefined) {
      const fingerprint = sealFingerprint(keyring, loaded.key.id, identity);
      return {
        version: newVersion(ctx, loaded.key.id, IMPORTED_VERSION, spec, material),
        attributes: { ...loaded.key.attributes, [FINGERPRINT_ATTRIBUTE]: fingerprint },
        insert: true,
      };
    }
    assertSameMaterial(keyring, loaded, identity);
    const wrappedMaterial = keyring.wrapVersion(loaded.key.id, IMPORTED_VERSION, material.bytes);
    return {
      version: { ...existing, wrappedMaterial },
      attributes: loaded.key.attributes,
      insert: false,
    };
  } finally {
    material.zero();
  }
}

function expiryOf(model: ExpirationModel, validTo: Date | undefined, now: Date): Date | null {
  if (model === 'KEY_MATERIAL_DOES_NOT_EXPIRE') {
    if (validTo !== undefined) {
      throw new InvalidInputError('validTo is only allowed with KEY_MATERIAL_EXPIRES');
    }
    return null;
  }
  if (!(validTo instanceof Date) || Number.isNaN(validTo.getTime())) {
    throw new InvalidInputError('KEY_MATERIAL_EXPIRES needs a validTo date');
  }
  if (validTo <= now || validTo > addDays(now, MAX_MATERIAL_VALIDITY_DAYS)) {
    throw new InvalidInputError(
      `validTo must be in the future and at most ${String(MAX_MATERIAL_VALIDITY_DAYS)} days out`,
    );
  }
  return validTo;
}

/** The stored token, issued for this key and still valid by the kms clock. */
async function usableToken(
  ctx: RequestContext,
  loaded: LoadedKey,
  tokenId: string,
  now: Date,
): Promise<ImportToken> {
  const token = await ctx.kms.store.getImportToken(tokenId);
  // A token of another key says no more than an unknown one.
  if (token?.keyId !== loaded.key.id) {
    throw new InvalidImportTokenError(`the import token is not valid for key ${loaded.key.id}`);
  }
  if (token.expiresAt <= now) {
    throw new ExpiredImportTokenError('the import token has expired; get new import parameters');
  }
  return token;
}
