import { KEY_SPEC_NAMES, KEY_USAGES, keySpec } from '@custos/crypto';
import { AlreadyExistsError, InvalidInputError, UnsupportedError } from '../core/errors.js';
import { isAliasName, newKeyId } from '../core/ids.js';
import type { KeyOrigin, Tags } from '../core/key.js';
import { addDays } from '../core/lifecycle.js';
import { authorize } from './authorize.js';
import type { RequestContext } from './context.js';
import { assertUnsealed, loadKey } from './key-loader.js';
import { type KeyView, keyView } from './key-view.js';
import { changeKey } from './key-writes.js';
import { newKeyRecord } from './new-key-record.js';
import { newVersion } from './new-version.js';
import { checkRotationPeriod } from './rotation-period.js';
import { checkTags } from './tags.js';
import { checkOneOf, checkStringMap } from './validate.js';

export interface CreateKeyInput {
  /** Default AES_256. */
  readonly spec?: string;
  /** Default: the spec's default usage. */
  readonly usage?: string;
  /** CUSTOS (generated here, default) or EXTERNAL (material imported later). */
  readonly origin?: KeyOrigin;
  readonly description?: string;
  readonly tags?: Tags;
  readonly alias?: string;
  readonly exportable?: boolean;
  /** Automatic rotation period in days; omitted or null: manual rotation only. */
  readonly rotationPeriodDays?: number | null;
  readonly attributes?: Readonly<Record<string, string>>;
}

/** Creates a key with its first version (or none, for EXTERNAL origin). */
export async function createKey(ctx: RequestContext, input: CreateKeyInput): Promise<KeyView> {
  assertUnsealed(ctx);
  authorize(ctx, 'kms:CreateKey');
  const specName = input.spec ?? 'AES_256';
  checkOneOf('spec', specName, KEY_SPEC_NAMES);
  const spec = keySpec(specName);
  const usage = input.usage ?? spec.defaultUsage;
  checkOneOf('usage', usage, KEY_USAGES);
  if (!spec.usages.includes(usage)) {
    throw new InvalidInputError(`usage ${usage} is not valid for key spec ${spec.name}`);
  }
  const origin = input.origin ?? 'CUSTOS';
  checkOneOf('origin', origin, ['CUSTOS', 'EXTERNAL'] as const);
  const description = input.description ?? '';
  if (typeof description !== 'string' || description.length > 8192) {
    throw new InvalidInputError('description must be a string of at most 8192 characters');
  }
  const tags = input.tags ?? {};
  checkTags(tags);
  const attributes = input.attributes ?? {};
  checkStringMap('attributes', attributes);
  const period = input.rotationPeriodDays ?? null;
  if (period !== null) {
    checkRotationPeriod(period);
    if (origin === 'EXTERNAL')
      throw new UnsupportedError('keys with imported material do not rotate automatically');
  }
  if (input.alias !== undefined && !isAliasName(input.alias)) {
    throw new InvalidInputError(`alias must look like alias/name (letters, digits, / _ -)`);
  }
  const now = ctx.kms.clock.now();
  const id = newKeyId();
  const key = newKeyRecord(now, {
    id,
    spec: spec.name,
    usage,
    origin,
    description,
    tags,
    state: origin === 'EXTERNAL' ? 'PendingImport' : 'Enabled',
    exportable: input.exportable ?? false,
    rotationPeriodDays: period,
    nextRotationAt: period === null ? null : addDays(now, period),
    primaryVersion: origin === 'EXTERNAL' ? 0 : 1,
    attributes,
  });
  const version = origin === 'EXTERNAL' ? undefined : newVersion(ctx, id, 1, spec);
  const alias = input.alias;
  await changeKey(ctx, id, async (tx) => {
    if (alias !== undefined && (await tx.getAlias(alias)) !== undefined) {
      throw new AlreadyExistsError(`alias ${alias} already exists`);
    }
    await tx.insertKey(key);
    if (version !== undefined) await tx.insertVersion(version);
    if (alias !== undefined)
      await tx.insertAlias({ name: alias, keyId: id, createdAt: now, updatedAt: now });
  });
  if (alias !== undefined) ctx.kms.cache.invalidateAlias(alias);
  return keyView(ctx, await loadKey(ctx, id));
}
