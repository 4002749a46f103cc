import { InvalidInputError } from '../../core/errors.js';
import type { Page } from '../store.js';

/** The most items one page returns, whatever the caller asks for. */
export const MAX_PAGE_SIZE = 1000;

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Clamps a requested page size to 1..MAX_PAGE_SIZE. */
export function pageSize(limit: number): number {
  if (Number.isNaN(limit)) throw new InvalidInputError('the page limit must be a number');
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.trunc(limit)));
}

/** The cursor is the base64url of the last item's sort key: opaque to callers, stable for us. */
export function encodeCursor(lastKey: string): string {
  return Buffer.from(lastKey, 'utf8').toString('base64url');
}

/** The sort key to continue after; '' (before every id and alias name) when there is no cursor. */
export function decodeCursor(cursor: string | undefined): string {
  if (cursor === undefined) return '';
  const lastKey = Buffer.from(cursor, 'base64url').toString('utf8');
  // Buffer skips characters it cannot decode, so a round trip is the real check.
  if (!BASE64URL.test(cursor) || encodeCursor(lastKey) !== cursor) {
    throw new InvalidInputError('the pagination cursor is invalid');
  }
  return lastKey;
}

/**
 * Builds a page from up to `size + 1` rows: the extra row only tells that
 * another page follows, and is not returned.
 */
export function toPage<R, T>(
  rows: readonly R[],
  size: number,
  map: (row: R) => T,
  sortKey: (row: R) => string,
): Page<T> {
  const more = rows.length > size;
  const kept = more ? rows.slice(0, size) : rows;
  const items = kept.map(map);
  const last = kept.at(-1);
  return { items, nextCursor: more && last !== undefined ? encodeCursor(sortKey(last)) : null };
}
