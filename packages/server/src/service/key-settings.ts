import { InvalidInputError, NotFoundError, UnsupportedError } from '../core/errors.js';
import type { KeyRecord, Tags } from '../core/key.js';
import { addDays, assertTransition } from '../core/lifecycle.js';
import type { LoadedKey } from './key-cache.js';
import { checkRotationPeriod } from './rotation-period.js';
import { checkTags } from './tags.js';

/** What a settings change writes; `id`, `rowVersion` and `createdAt` never change. */
export type KeyPatch = Partial<Omit<KeyRecord, 'id' | 'rowVersion' | 'createdAt'>>;

/** Destroyed keys are kept only as tombstones: nothing about them changes. */
export function assertNotDestroyed(loaded: LoadedKey): void {
  if (loaded.key.state === 'Destroyed') {
    throw new NotFoundError(`key ${loaded.key.id} does not exist`);
  }
}

// Each change is checked against the key as read and returned as a patch,
// so a request that makes several of them can check all before writing any.

export const MAX_DESCRIPTION_LENGTH = 8192;

export function descriptionChange(description: unknown): KeyPatch {
  if (typeof description !== 'string' || description.length > MAX_DESCRIPTION_LENGTH) {
    throw new InvalidInputError(
      `description must be a string of at most ${String(MAX_DESCRIPTION_LENGTH)} characters`,
    );
  }
  return { description };
}

/** `set` adds or overwrites, `remove` names tag keys to drop; the result is checked whole. */
export function tagsChange(current: Tags, set: unknown, remove: unknown): KeyPatch {
  if (set === undefined && remove === undefined) {
    throw new InvalidInputError('give tags to set, tag keys to remove, or both');
  }
  if (
    remove !== undefined &&
    !(Array.isArray(remove) && remove.every((n: unknown) => typeof n === 'string'))
  ) {
    throw new InvalidInputError('tag keys to remove must be an array of strings');
  }
  const removed = new Set<string>(remove);
  const tags: Record<string, string> = Object.fromEntries(
    Object.entries(current).filter(([name]) => !removed.has(name)),
  );
  if (set !== undefined) {
    checkTags(set);
    Object.assign(tags, set);
  }
  checkTags(tags);
  return { tags };
}

/** A period in days turns automatic rotation on (next one a period from `now`); null turns it off. */
export function rotationChange(key: KeyRecord, period: unknown, now: Date): KeyPatch {
  if (period === null) return { rotationPeriodDays: null, nextRotationAt: null };
  if (typeof period !== 'number') {
    throw new InvalidInputError('rotationPeriodDays must be a number of days or null');
  }
  checkRotationPeriod(period);
  if (key.origin !== 'CUSTOS') {
    throw new UnsupportedError('keys with imported material do not rotate automatically');
  }
  return { rotationPeriodDays: period, nextRotationAt: addDays(now, period) };
}

/** Enabled ↔ Disabled; asking for the state the key is in changes nothing, as AWS KMS. */
export function stateChange(key: KeyRecord, to: 'Enabled' | 'Disabled'): KeyPatch {
  if (key.state === to) return {};
  assertTransition(key, to);
  return { state: to };
}
