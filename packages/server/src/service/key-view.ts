import { keySpec } from '@custos/crypto';
import type { KeyRecord, KeyVersion } from '../core/key.js';
import type { RequestContext } from './context.js';
import type { LoadedKey } from './key-cache.js';

/** What callers see of a version: never material. */
export interface KeyVersionView {
  readonly version: number;
  readonly state: KeyVersion['state'];
  readonly createdAt: Date;
  readonly primary: boolean;
  /** Ciphertexts, data keys, signatures and MACs made with this version (what depends on it). */
  readonly usageCount: number;
}

/** What callers see of a key. */
export interface KeyView {
  readonly keyId: string;
  readonly spec: KeyRecord['spec'];
  readonly usage: KeyRecord['usage'];
  readonly origin: KeyRecord['origin'];
  readonly description: string;
  readonly tags: KeyRecord['tags'];
  readonly state: KeyRecord['state'];
  readonly exportable: boolean;
  readonly aliases: readonly string[];
  readonly rotationPeriodDays: number | null;
  readonly nextRotationAt: Date | null;
  readonly primaryVersion: number;
  readonly minDecryptionVersion: number;
  readonly deletionDate: Date | null;
  readonly materialExpiresAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly lastUsedAt: Date | null;
  readonly signingAlgorithms: readonly string[];
  readonly encryptionAlgorithms: readonly string[];
  readonly macAlgorithms: readonly string[];
  readonly versions: readonly KeyVersionView[];
}

export function keyView(ctx: RequestContext, loaded: LoadedKey): KeyView {
  const { key } = loaded;
  const spec = keySpec(key.spec);
  const usage = ctx.kms.usage;
  return {
    keyId: key.id,
    spec: key.spec,
    usage: key.usage,
    origin: key.origin,
    description: key.description,
    tags: key.tags,
    state: key.state,
    exportable: key.exportable,
    aliases: loaded.aliases,
    rotationPeriodDays: key.rotationPeriodDays,
    nextRotationAt: key.nextRotationAt,
    primaryVersion: key.primaryVersion,
    minDecryptionVersion: key.minDecryptionVersion,
    deletionDate: key.deletionDate,
    materialExpiresAt: key.materialExpiresAt,
    createdAt: key.createdAt,
    updatedAt: key.updatedAt,
    lastUsedAt: usage.lastUsedAt(key.id),
    signingAlgorithms: key.usage === 'SIGN_VERIFY' ? spec.signingAlgorithms : [],
    encryptionAlgorithms: key.usage === 'ENCRYPT_DECRYPT' ? spec.encryptionAlgorithms : [],
    macAlgorithms: key.usage === 'GENERATE_VERIFY_MAC' ? spec.macAlgorithms : [],
    versions: loaded.versions.map((v) => ({
      version: v.version,
      state: v.state,
      createdAt: v.createdAt,
      primary: v.version === key.primaryVersion,
      usageCount: v.usageCount + usage.pendingCount(key.id, v.version),
    })),
  };
}
