import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyState } from '../../src/core/key.js';
import {
  createAlias,
  createKey,
  disableKey,
  enableKey,
  listKeys,
  type ListKeysInput,
  scheduleKeyDeletion,
} from '../../src/service/index.js';
import { errorCode, makeKms, type KmsHarness } from '../support/kms-harness.js';

const KEY_COUNT = 25;

let h: KmsHarness;
/** Key ids in creation order; index i is "key i" below. */
const ids: string[] = [];

beforeAll(async () => {
  h = await makeKms();
  for (let i = 0; i < KEY_COUNT; i++) {
    const tags: Record<string, string> =
      i < 5 ? { team: 'a' } : i < 10 ? { team: 'b' } : i === 10 ? { other: 'a' } : {};
    const view = await createKey(h.ctx, { tags, description: `key ${String(i)}` });
    ids.push(view.keyId);
  }
  const id = (i: number): string => ids[i] ?? '';
  for (let i = 0; i < 3; i++)
    await createAlias(h.ctx, { alias: `alias/app-${String(i)}`, keyId: id(i) });
  // A second matching alias must not list key 0 twice.
  await createAlias(h.ctx, { alias: 'alias/app-extra', keyId: id(0) });
  await createAlias(h.ctx, { alias: 'alias/db-0', keyId: id(3) });
  // `_` and `%` are LIKE wildcards: the prefix must match literally.
  await createAlias(h.ctx, { alias: 'alias/svc_1', keyId: id(11) });
  await createAlias(h.ctx, { alias: 'alias/svc-2', keyId: id(12) });
  for (const i of [20, 21, 22]) await disableKey(h.ctx, { keyId: id(i) });
  await scheduleKeyDeletion(h.ctx, { keyId: id(23) });
});
afterAll(async () => {
  await h.close();
});

/** Every page of a listing, in order. */
async function allPages(input: ListKeysInput): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await listKeys(h.ctx, { ...input, ...(cursor !== undefined && { cursor }) });
    pages.push(page.keys.map((k) => k.keyId));
    if (page.nextCursor === null) return pages;
    cursor = page.nextCursor;
    if (pages.length > 100) throw new Error('pagination does not end');
  }
}

function sorted(values: readonly string[]): string[] {
  return [...values].sort();
}

function idsOf(indexes: readonly number[]): string[] {
  return sorted(indexes.map((i) => ids[i] ?? ''));
}

describe('listKeys', () => {
  it('pages through 25 keys 10 at a time, in id order, with no gaps or repeats', async () => {
    const pages = await allPages({ limit: 10 });
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    const flat = pages.flat();
    expect(new Set(flat).size).toBe(KEY_COUNT);
    expect(flat).toEqual(sorted(ids));
  });

  it('ends on a full page without an empty page after it', async () => {
    const pages = await allPages({ limit: 5, tagKey: 'team' });
    expect(pages.map((p) => p.length)).toEqual([5, 5]);
    expect(pages.flat()).toEqual(idsOf([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
  });

  it('returns everything on one page by default, and with the largest limit', async () => {
    for (const input of [{}, { limit: 1000 }]) {
      const page = await listKeys(h.ctx, input);
      expect(page.nextCursor).toBeNull();
      expect(page.keys.map((k) => k.keyId)).toEqual(sorted(ids));
    }
  });

  it('pages one key at a time', async () => {
    const pages = await allPages({ limit: 1 });
    expect(pages).toHaveLength(KEY_COUNT);
    expect(pages.flat()).toEqual(sorted(ids));
  });

  it('summarises each key', async () => {
    const page = await listKeys(h.ctx, { limit: 1000 });
    const first = page.keys.find((k) => k.keyId === ids[0]);
    expect(first).toEqual({
      keyId: ids[0],
      spec: 'AES_256',
      usage: 'ENCRYPT_DECRYPT',
      state: 'Enabled',
      description: 'key 0',
    });
  });

  const byState: [KeyState, number[]][] = [
    ['Disabled', [20, 21, 22]],
    ['PendingDeletion', [23]],
    ['Destroyed', []],
    ['Enabled', [...Array.from({ length: 20 }, (_, i) => i), 24]],
  ];
  it.each(byState)('filters by state %s', async (state, expected) => {
    expect((await allPages({ state, limit: 4 })).flat()).toEqual(idsOf(expected));
  });

  it('filters by tag key, and by tag key and value', async () => {
    expect((await allPages({ tagKey: 'team', limit: 3 })).flat()).toEqual(
      idsOf([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
    );
    expect((await allPages({ tagKey: 'team', tagValue: 'a' })).flat()).toEqual(
      idsOf([0, 1, 2, 3, 4]),
    );
    expect((await allPages({ tagKey: 'team', tagValue: 'b', limit: 2 })).flat()).toEqual(
      idsOf([5, 6, 7, 8, 9]),
    );
    // The value belongs to the tag named, not to any tag.
    expect((await allPages({ tagKey: 'other', tagValue: 'a' })).flat()).toEqual(idsOf([10]));
    expect((await allPages({ tagKey: 'team', tagValue: 'c' })).flat()).toEqual([]);
    expect((await allPages({ tagKey: 'nobody' })).flat()).toEqual([]);
  });

  it('filters by alias prefix, listing each key once', async () => {
    expect((await allPages({ aliasPrefix: 'alias/app-', limit: 2 })).flat()).toEqual(
      idsOf([0, 1, 2]),
    );
    expect((await allPages({ aliasPrefix: 'alias/' })).flat()).toEqual(idsOf([0, 1, 2, 3, 11, 12]));
    expect((await allPages({ aliasPrefix: 'alias/db' })).flat()).toEqual(idsOf([3]));
    expect((await allPages({ aliasPrefix: 'alias/app-extra' })).flat()).toEqual(idsOf([0]));
    expect((await allPages({ aliasPrefix: 'alias/zzz' })).flat()).toEqual([]);
  });

  it('matches alias prefixes literally, not as patterns', async () => {
    expect((await allPages({ aliasPrefix: 'alias/svc_' })).flat()).toEqual(idsOf([11]));
    expect((await allPages({ aliasPrefix: 'alias/svc%' })).flat()).toEqual([]);
    expect((await allPages({ aliasPrefix: 'alias/%' })).flat()).toEqual([]);
  });

  it('combines filters', async () => {
    await disableKey(h.ctx, { keyId: ids[1] ?? '' });
    try {
      expect((await allPages({ state: 'Disabled', tagKey: 'team' })).flat()).toEqual(idsOf([1]));
      expect(
        (
          await allPages({
            state: 'Enabled',
            tagKey: 'team',
            tagValue: 'a',
            aliasPrefix: 'alias/app',
          })
        ).flat(),
      ).toEqual(idsOf([0, 2]));
    } finally {
      await enableKey(h.ctx, { keyId: ids[1] ?? '' });
    }
  });

  it.each([0, 1001, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'refuses limit %d (INVALID_INPUT)',
    async (limit) => {
      expect(await errorCode(listKeys(h.ctx, { limit }))).toBe('INVALID_INPUT');
    },
  );

  it('refuses an unknown state and a forged cursor (INVALID_INPUT)', async () => {
    expect(await errorCode(listKeys(h.ctx, { state: 'Lost' as KeyState }))).toBe('INVALID_INPUT');
    expect(await errorCode(listKeys(h.ctx, { cursor: '!!not a cursor!!' }))).toBe('INVALID_INPUT');
  });
});
