import { describe, expect, it } from 'vitest';
import type { KeyRecord } from '../../../src/core/key.js';
import type { KeyFilter } from '../../../src/store/store.js';
import {
  DAY,
  at,
  collectPages,
  compareCodeUnits,
  newAlias,
  newKey,
  sortedIds,
  write,
  type ConformanceContext,
} from './fixtures.js';

/** 25 keys spread over states, tags and aliases, so every filter spans several pages. */
function population(): { keys: KeyRecord[]; aliases: [string, string][] } {
  const keys: KeyRecord[] = [];
  const aliases: [string, string][] = [];
  for (let i = 0; i < 25; i++) {
    const tags: Record<string, string> = { team: i % 2 === 0 ? 'blue' : 'red' };
    if (i % 5 === 0) tags['ключ'] = `значение-${i}`;
    const key = newKey({ state: i % 3 === 0 ? 'Disabled' : 'Enabled', tags, description: `${i}` });
    keys.push(key);
    if (i % 4 === 0) aliases.push([`alias/app-${i}`, key.id], [`alias/app-${i}-b`, key.id]);
    if (i % 4 === 1) aliases.push([`alias/other-${i}`, key.id]);
  }
  return { keys, aliases };
}

export function describeListing({ store }: ConformanceContext): void {
  describe('listKeys', () => {
    async function seed(): Promise<KeyRecord[]> {
      const { keys, aliases } = population();
      await write(store(), async (tx) => {
        for (const key of keys) await tx.insertKey(key);
        for (const [name, keyId] of aliases) await tx.insertAlias(newAlias(name, keyId));
      });
      return keys;
    }

    async function listAll(filter: KeyFilter, limit: number) {
      const { items, pages } = await collectPages(
        (cursor) => store().listKeys(filter, cursor === undefined ? { limit } : { cursor, limit }),
        limit,
      );
      return { ids: items.map((k) => k.id), items, pages };
    }

    const index = (k: KeyRecord) => Number(k.description);
    const cases: [string, KeyFilter, number, (k: KeyRecord) => boolean][] = [
      ['no filter', {}, 10, () => true],
      ['state', { state: 'Disabled' }, 3, (k) => index(k) % 3 === 0],
      ['tag key and value', { tag: { key: 'team', value: 'blue' } }, 3, (k) => index(k) % 2 === 0],
      ['unicode tag key alone', { tag: { key: 'ключ' } }, 2, (k) => index(k) % 5 === 0],
      ['alias prefix', { aliasPrefix: 'alias/app-' }, 2, (k) => index(k) % 4 === 0],
      [
        'all filters together',
        { state: 'Enabled', tag: { key: 'team', value: 'blue' }, aliasPrefix: 'alias/app-' },
        1,
        (k) => index(k) % 4 === 0 && index(k) % 3 !== 0,
      ],
    ];
    for (const [name, filter, limit, matches] of cases) {
      it(`pages through keys ordered by id with filter: ${name}`, async () => {
        const keys = await seed();
        const { ids, items, pages } = await listAll(filter, limit);
        const expected = sortedIds(keys.filter(matches));
        expect(ids).toEqual(expected);
        expect(pages).toBeGreaterThan(2);
        expect(items).toEqual(expected.map((id) => keys.find((k) => k.id === id)));
      });
    }

    it('treats LIKE wildcards in an alias prefix literally', async () => {
      const [a, b] = [newKey(), newKey()];
      await write(store(), async (tx) => {
        await tx.insertKey(a);
        await tx.insertKey(b);
        await tx.insertAlias(newAlias('alias/team_a', a.id));
        await tx.insertAlias(newAlias('alias/teamXa', b.id));
      });
      const page = await store().listKeys({ aliasPrefix: 'alias/team_' }, { limit: 10 });
      expect(page.items.map((k) => k.id)).toEqual([a.id]);
      const none = await store().listKeys({ aliasPrefix: 'alias/team%' }, { limit: 10 });
      expect(none.items).toEqual([]);
    });

    it('filters on tags as last written', async () => {
      const key = newKey({ tags: { env: 'dev' } });
      await write(store(), (tx) => tx.insertKey(key));
      await write(store(), (tx) => tx.updateKey({ ...key, tags: { env: 'prod', tier: '1' } }));
      const by = async (tag: KeyFilter['tag']) =>
        (await store().listKeys({ tag }, { limit: 10 })).items.map((k) => k.id);
      expect(await by({ key: 'env', value: 'dev' })).toEqual([]);
      expect(await by({ key: 'env', value: 'prod' })).toEqual([key.id]);
      expect(await by({ key: 'tier' })).toEqual([key.id]);
    });

    it('clamps the page size to 1..1000', async () => {
      const keys = Array.from({ length: 1001 }, () => newKey());
      await write(store(), async (tx) => {
        for (const key of keys) await tx.insertKey(key);
      });
      const big = await store().listKeys({}, { limit: 5000 });
      expect(big.items).toHaveLength(1000);
      expect(big.nextCursor).not.toBeNull();
      const rest = await store().listKeys({}, { cursor: big.nextCursor!, limit: 5000 });
      expect(rest.items.map((k) => k.id)).toEqual(sortedIds(keys).slice(1000));
      expect(rest.nextCursor).toBeNull();
      expect((await store().listKeys({}, { limit: 0 })).items).toHaveLength(1);
      expect((await store().listKeys({}, { limit: -5 })).items).toHaveLength(1);
    });

    it('rejects a malformed cursor as INVALID_INPUT', async () => {
      for (const cursor of ['not a cursor!', 'A']) {
        const list = store().listKeys({}, { cursor, limit: 10 });
        await expect(list).rejects.toMatchObject({ code: 'INVALID_INPUT' });
        const aliases = store().listAliases({}, { cursor, limit: 10 });
        await expect(aliases).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      }
    });

    it('returns an empty last page for an empty store', async () => {
      expect(await store().listKeys({}, { limit: 10 })).toEqual({ items: [], nextCursor: null });
    });
  });

  describe('listAliases', () => {
    it('pages through aliases ordered by name, for all keys or one', async () => {
      const [a, b] = [newKey(), newKey()];
      const names = Array.from({ length: 13 }, (_, i) => `alias/n-${String(i).padStart(2, '0')}`);
      const aliases = names.map((name, i) => newAlias(name, i % 3 === 0 ? a.id : b.id));
      await write(store(), async (tx) => {
        await tx.insertKey(a);
        await tx.insertKey(b);
        for (const alias of [...aliases].reverse()) await tx.insertAlias(alias);
      });
      const all = await collectPages(
        (cursor) =>
          store().listAliases({}, cursor === undefined ? { limit: 4 } : { cursor, limit: 4 }),
        4,
      );
      expect(all.pages).toBe(4);
      expect(all.items).toEqual([...aliases].sort((x, y) => compareCodeUnits(x.name, y.name)));
      const ofA = await collectPages(
        (cursor) =>
          store().listAliases(
            { keyId: a.id },
            cursor === undefined ? { limit: 1 } : { cursor, limit: 1 },
          ),
        1,
      );
      expect(ofA.items.map((x) => x.name)).toEqual(names.filter((_, i) => i % 3 === 0));
      expect(ofA.pages).toBe(5);
    });
  });

  describe('listDueKeys', () => {
    it('returns keys whose rotation or deletion is due, most overdue first', async () => {
      const now = at(100 * DAY);
      const rotate = (offset: number | null) =>
        newKey({ nextRotationAt: offset === null ? null : new Date(now.getTime() + offset) });
      const doom = (offset: number | null) =>
        newKey({
          state: 'PendingDeletion',
          deletionDate: offset === null ? null : new Date(now.getTime() + offset),
        });
      const [r1, r2, r3, rFuture, rNone] = [
        rotate(-3 * DAY),
        rotate(-DAY),
        rotate(0),
        rotate(1),
        rotate(null),
      ];
      const [d1, d2, dFuture, dNone] = [doom(-2 * DAY), doom(0), doom(DAY), doom(null)];
      await write(store(), async (tx) => {
        for (const key of [rFuture, r3, rNone, r1, r2, dFuture, d2, dNone, d1])
          await tx.insertKey(key);
      });
      const ids = (keys: KeyRecord[]) => keys.map((k) => k.id);
      expect(ids(await store().listDueKeys('rotation', now, 10))).toEqual([r1.id, r2.id, r3.id]);
      expect(ids(await store().listDueKeys('rotation', now, 2))).toEqual([r1.id, r2.id]);
      expect(ids(await store().listDueKeys('deletion', now, 10))).toEqual([d1.id, d2.id]);
      const first = await store().listDueKeys('deletion', now, 1);
      expect(first).toEqual([d1]);
    });
  });
}
