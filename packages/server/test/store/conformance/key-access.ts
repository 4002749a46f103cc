import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AccessKeyRecord } from '../../../src/core/identity.js';
import type { GrantRecord, KeyPolicyRecord } from '../../../src/core/key-access.js';
import { at, collectPages, newKey, seedKeys, write, type ConformanceContext } from './fixtures.js';
import { newPrincipal } from './identity.js';

function newAccessKey(principalId: string, n: number): AccessKeyRecord {
  return {
    accessKeyId: `AKIA${String(n).padStart(16, 'A')}`,
    principalId,
    wrappedSecret: randomBytes(60),
    createdAt: at(n),
  };
}

function newGrant(keyId: string, overrides: Partial<GrantRecord> = {}): GrantRecord {
  return {
    grantId: randomBytes(32).toString('hex'),
    keyId,
    name: null,
    granteePrincipal: 'user/app',
    retiringPrincipal: null,
    issuingPrincipal: 'root',
    operations: ['kms:Encrypt', 'kms:Decrypt'],
    constraints: null,
    createdAt: at(5),
    ...overrides,
  };
}

function newKeyPolicy(keyId: string): KeyPolicyRecord {
  return {
    keyId,
    text: '{"Version":"2012-10-17","Statement":[]}',
    policy: { statements: [] },
    updatedAt: at(7),
    rowVersion: 1,
  };
}

export function describeKeyAccess({ store }: ConformanceContext): void {
  describe('access keys', () => {
    it('round-trip, list by principal in id order, and go with their principal', async () => {
      await write(store(), async (tx) => {
        await tx.insertPrincipal(newPrincipal('user/a'));
        await tx.insertPrincipal(newPrincipal('user/b'));
      });
      const keys = [
        newAccessKey('user/a', 2),
        newAccessKey('user/b', 1),
        newAccessKey('user/a', 3),
      ];
      await write(store(), async (tx) => {
        for (const key of keys) await tx.insertAccessKey(key);
      });
      expect(await store().getAccessKey(keys[0]!.accessKeyId)).toEqual(keys[0]);
      expect(await store().getAccessKey('AKIANOPE')).toBeUndefined();
      const mine = await store().listAccessKeys({ principalId: 'user/a' }, { limit: 10 });
      expect(mine.items.map((k) => k.accessKeyId)).toEqual(
        [keys[0]!, keys[2]!].map((k) => k.accessKeyId),
      );
      const all = await collectPages(
        (cursor) =>
          store().listAccessKeys({}, { limit: 1, ...(cursor !== undefined && { cursor }) }),
        1,
      );
      expect(all.items.map((k) => k.accessKeyId)).toEqual(keys.map((k) => k.accessKeyId).sort());
      await write(store(), (tx) => tx.deletePrincipal('user/a'));
      expect(await store().getAccessKey(keys[0]!.accessKeyId)).toBeUndefined();
      expect(await store().getAccessKey(keys[1]!.accessKeyId)).toBeDefined();
    });

    it('refuses a taken id, a missing principal, and deleting a missing key', async () => {
      await write(store(), (tx) => tx.insertPrincipal(newPrincipal('user/a')));
      const key = newAccessKey('user/a', 1);
      await write(store(), (tx) => tx.insertAccessKey(key));
      await expect(write(store(), (tx) => tx.insertAccessKey(key))).rejects.toMatchObject({
        code: 'ALREADY_EXISTS',
      });
      await expect(
        write(store(), (tx) => tx.insertAccessKey(newAccessKey('user/none', 2))),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await write(store(), (tx) => tx.deleteAccessKey(key.accessKeyId));
      await expect(
        write(store(), (tx) => tx.deleteAccessKey(key.accessKeyId)),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });

  describe('grants', () => {
    it('round-trip with constraints, list by key (grantee, name), by retiring principal, and all', async () => {
      const [k1, k2] = [newKey(), newKey()];
      await seedKeys(store(), [k1, k2]);
      const a = newGrant(k1.id, {
        name: 'n1',
        constraints: { encryptionContextSubset: { t: 'x' } },
        retiringPrincipal: 'user/r',
      });
      const b = newGrant(k1.id, { granteePrincipal: 'user/other', operations: ['kms:Sign'] });
      const c = newGrant(k2.id, {
        retiringPrincipal: 'user/r',
        constraints: { encryptionContextEquals: {} },
      });
      await write(store(), async (tx) => {
        for (const g of [a, b, c]) await tx.insertGrant(g);
      });
      expect(await store().getGrant(a.grantId)).toEqual(a);
      expect(await store().getGrant(c.grantId)).toEqual(c);
      const ids = (grants: { items: GrantRecord[] }) => grants.items.map((g) => g.grantId);
      expect(await store().countGrants(k1.id)).toBe(2);
      expect(await store().countGrants(k2.id)).toBe(1);
      expect(ids(await store().listGrants({ keyId: k1.id }, { limit: 10 }))).toEqual(
        [a.grantId, b.grantId].sort(),
      );
      expect(
        ids(
          await store().listGrants({ keyId: k1.id, granteePrincipal: 'user/other' }, { limit: 10 }),
        ),
      ).toEqual([b.grantId]);
      expect(ids(await store().listGrants({ keyId: k1.id, name: 'n1' }, { limit: 10 }))).toEqual([
        a.grantId,
      ]);
      expect(ids(await store().listGrants({ retiringPrincipal: 'user/r' }, { limit: 10 }))).toEqual(
        [a.grantId, c.grantId].sort(),
      );
      const all = await collectPages(
        (cursor) => store().listGrants({}, { limit: 2, ...(cursor !== undefined && { cursor }) }),
        2,
      );
      expect(all.items).toHaveLength(3);
    });

    it('refuses a missing key and a taken id; delete is NOT_FOUND when missing; a deleted key takes its grants', async () => {
      const key = newKey();
      await seedKeys(store(), [key]);
      const grant = newGrant(key.id);
      await write(store(), (tx) => tx.insertGrant(grant));
      await expect(write(store(), (tx) => tx.insertGrant(grant))).rejects.toMatchObject({
        code: 'ALREADY_EXISTS',
      });
      await expect(
        write(store(), (tx) => tx.insertGrant(newGrant('0b6d7f43-9d6e-4a8a-8f57-5c0f7d1b2a31'))),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await write(store(), (tx) => tx.deleteGrant(grant.grantId));
      await expect(write(store(), (tx) => tx.deleteGrant(grant.grantId))).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      const kept = newGrant(key.id);
      await write(store(), async (tx) => {
        await tx.insertGrant(kept);
        await tx.insertKeyPolicy(newKeyPolicy(key.id));
      });
      await write(store(), (tx) => tx.deleteKey(key.id));
      expect(await store().getGrant(kept.grantId)).toBeUndefined();
      expect(await store().getKeyPolicy(key.id)).toBeUndefined();
    });
  });

  describe('key policies', () => {
    it('round-trip, update optimistically, and list by key id', async () => {
      const [k1, k2] = [newKey(), newKey()];
      await seedKeys(store(), [k1, k2]);
      const policy = newKeyPolicy(k1.id);
      await write(store(), (tx) => tx.insertKeyPolicy(policy));
      expect(await store().getKeyPolicy(k1.id)).toEqual(policy);
      await expect(write(store(), (tx) => tx.insertKeyPolicy(policy))).rejects.toMatchObject({
        code: 'ALREADY_EXISTS',
      });
      const next = { ...policy, text: '{}', updatedAt: at(9) };
      expect(await write(store(), (tx) => tx.updateKeyPolicy(next))).toEqual({
        ...next,
        rowVersion: 2,
      });
      await expect(write(store(), (tx) => tx.updateKeyPolicy(next))).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      await expect(
        write(store(), (tx) => tx.updateKeyPolicy(newKeyPolicy(k2.id))),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await write(store(), (tx) => tx.insertKeyPolicy(newKeyPolicy(k2.id)));
      const listed = await store().listKeyPolicies({ limit: 10 });
      expect(listed.items.map((p) => p.keyId)).toEqual([k1.id, k2.id].sort());
    });
  });
}
