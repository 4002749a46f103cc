import { InvalidInputError, LimitExceededError } from '../core/errors.js';
import type { Tags } from '../core/key.js';

export const MAX_TAGS = 50;

/**
 * Tags as AWS KMS bounds them: ≤ 50, keys 1–128 characters, values ≤ 256.
 * Takes `unknown`: front-ends hand over whatever their callers sent.
 */
export function checkTags(tags: unknown): asserts tags is Tags {
  if (tags === null || typeof tags !== 'object' || Array.isArray(tags)) {
    throw new InvalidInputError('tags must be a map of strings');
  }
  const entries = Object.entries(tags);
  if (entries.length > MAX_TAGS)
    throw new LimitExceededError(`a key has at most ${String(MAX_TAGS)} tags`);
  for (const [k, v] of entries) {
    if (k.length < 1 || k.length > 128)
      throw new InvalidInputError('tag keys must be 1 to 128 characters');
    if (typeof v !== 'string' || v.length > 256) {
      throw new InvalidInputError('tag values must be strings of at most 256 characters');
    }
  }
}
