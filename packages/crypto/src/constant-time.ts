import { timingSafeEqual } from 'node:crypto';

/**
 * Compares two byte strings in time independent of where they differ. Unequal
 * lengths return false at once: lengths are not secret for MACs and tags.
 *
 * @example
 * constantTimeEqual(expectedTag, receivedTag)
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}
