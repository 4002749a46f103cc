import { describe, expect, it } from 'vitest';
import {
  DAY,
  at,
  newImportToken,
  newKey,
  seedKeys,
  write,
  type ConformanceContext,
} from './fixtures.js';
import { newPrincipal, newToken } from './identity.js';

export function describePurge(context: ConformanceContext): void {
  describe('purgeExpired', () => {
    it('deletes tokens expired or revoked, and import tokens expired, at or before the time, nothing else', async () => {
      const store = context.store();
      const key = newKey();
      await seedKeys(store, [key]);
      const tokens = {
        expired: newToken('user/a', { expiresAt: at(DAY - 1) }),
        atTheTime: newToken('user/a', { expiresAt: at(DAY) }),
        later: newToken('user/a', { expiresAt: at(DAY + 1) }),
        never: newToken('user/a'),
        revokedNeverExpiring: newToken('user/a', { revokedAt: at(5) }),
        revokedLater: newToken('user/a', { revokedAt: at(DAY + 1) }),
      };
      const imports = {
        expired: newImportToken(key.id, { expiresAt: at(DAY - 1) }),
        later: newImportToken(key.id, { expiresAt: at(DAY + 1) }),
      };
      await write(store, async (tx) => {
        await tx.insertPrincipal(newPrincipal('user/a'));
        for (const token of Object.values(tokens)) await tx.insertToken(token);
        for (const token of Object.values(imports)) await tx.putImportToken(token);
      });

      expect(await store.purgeExpired(at(DAY), 100)).toEqual({ tokens: 3, importTokens: 1 });

      for (const gone of [tokens.expired, tokens.atTheTime, tokens.revokedNeverExpiring]) {
        expect(await store.getToken(gone.id)).toBeUndefined();
      }
      for (const kept of [tokens.later, tokens.never, tokens.revokedLater]) {
        expect(await store.getToken(kept.id)).toEqual(kept);
      }
      expect(await store.getImportToken(imports.expired.id)).toBeUndefined();
      expect(await store.getImportToken(imports.later.id)).toEqual(imports.later);
      expect(await store.purgeExpired(at(DAY), 100)).toEqual({ tokens: 0, importTokens: 0 });
    });

    it('deletes at most `limit` of each, the longest expired first', async () => {
      const store = context.store();
      const tokens = [3, 1, 2].map((n) => newToken('user/b', { expiresAt: at(n) }));
      await write(store, async (tx) => {
        await tx.insertPrincipal(newPrincipal('user/b'));
        for (const token of tokens) await tx.insertToken(token);
      });
      expect(await store.purgeExpired(at(DAY), 2)).toEqual({ tokens: 2, importTokens: 0 });
      const left = await store.listTokens({ principalId: 'user/b' }, { limit: 10 });
      expect(left.items.map((t) => t.expiresAt)).toEqual([at(3)]);
    });

    it('counts expired and revoked tokens against one limit, expired ones first', async () => {
      const store = context.store();
      const expired = [1, 2].map((n) => newToken('user/d', { expiresAt: at(n) }));
      const revoked = [3, 4].map((n) => newToken('user/d', { revokedAt: at(n) }));
      await write(store, async (tx) => {
        await tx.insertPrincipal(newPrincipal('user/d'));
        for (const token of [...expired, ...revoked]) await tx.insertToken(token);
      });
      expect(await store.purgeExpired(at(DAY), 3)).toEqual({ tokens: 3, importTokens: 0 });
      const left = await store.listTokens({ principalId: 'user/d' }, { limit: 10 });
      expect(left.items.map((t) => t.revokedAt)).toEqual([at(4)]);
    });

    it('refuses an invalid time and deletes nothing', async () => {
      const store = context.store();
      await write(store, async (tx) => {
        await tx.insertPrincipal(newPrincipal('user/c'));
        await tx.insertToken(newToken('user/c', { expiresAt: at(1) }));
      });
      await expect(store.purgeExpired(new Date(Number.NaN), 10)).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });
      expect((await store.listTokens({ principalId: 'user/c' }, { limit: 10 })).items).toHaveLength(
        1,
      );
    });
  });
}
