import { describe, expect, it } from 'vitest';
import {
  DAY,
  at,
  newAlias,
  newImportToken,
  newKey,
  newVersion,
  seedKeys,
  write,
  type ConformanceContext,
} from './fixtures.js';

export function describeCrud({ store }: ConformanceContext): void {
  describe('keys', () => {
    it('round-trips every field of a key', async () => {
      const key = newKey({
        spec: 'ECC_NIST_P384',
        usage: 'SIGN_VERIFY',
        origin: 'EXTERNAL',
        description: 'payments — signing key 🔑',
        tags: { team: 'paiements-équipe', 'ключ/тег': '値 ✓', empty: '', 'with "quotes"': "it's" },
        state: 'PendingDeletion',
        exportable: true,
        rotationPeriodDays: 90,
        nextRotationAt: at(90 * DAY),
        primaryVersion: 3,
        minDecryptionVersion: 2,
        deletionDate: at(7 * DAY + 1),
        createdAt: at(1),
        updatedAt: at(2),
        materialExpiresAt: at(365 * DAY + 999),
        attributes: { 'kmip:State': 'Pre-Active', 'kmip:Name': 'ünïcode' },
        rowVersion: 7,
      });
      await write(store(), (tx) => tx.insertKey(key));
      expect(await store().getKey(key.id)).toEqual(key);
    });

    it('round-trips null fields, empty tags and attributes, and false', async () => {
      const key = newKey({ exportable: false, tags: {}, attributes: {} });
      await write(store(), (tx) => tx.insertKey(key));
      const stored = await store().getKey(key.id);
      expect(stored).toEqual(key);
      expect(stored?.nextRotationAt).toBeNull();
      expect(stored?.rotationPeriodDays).toBeNull();
      expect(stored?.deletionDate).toBeNull();
      expect(stored?.materialExpiresAt).toBeNull();
    });

    it('answers undefined for what does not exist', async () => {
      expect(await store().getKey('no-such-key')).toBeUndefined();
      expect(await store().getVersion('no-such-key', 1)).toBeUndefined();
      expect(await store().getVersions('no-such-key')).toEqual([]);
      expect(await store().getAlias('alias/none')).toBeUndefined();
      expect(await store().getImportToken('no-such-token')).toBeUndefined();
      expect(await store().getMeta('no-such-meta')).toBeUndefined();
    });

    it('rejects a second key with the same id as ALREADY_EXISTS', async () => {
      const key = newKey();
      await write(store(), (tx) => tx.insertKey(key));
      const again = write(store(), (tx) => tx.insertKey({ ...key, description: 'other' }));
      await expect(again).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
      expect((await store().getKey(key.id))?.description).toBe('');
    });

    it('updates every field and returns the record with the next rowVersion', async () => {
      const key = newKey();
      await write(store(), (tx) => tx.insertKey(key));
      const changed = {
        ...key,
        description: 'rotated',
        tags: { env: 'prod' },
        state: 'Disabled' as const,
        exportable: true,
        rotationPeriodDays: 30,
        nextRotationAt: at(30 * DAY),
        primaryVersion: 2,
        minDecryptionVersion: 2,
        deletionDate: at(DAY),
        materialExpiresAt: at(2 * DAY),
        updatedAt: at(5),
        attributes: { note: 'x' },
      };
      const updated = await write(store(), (tx) => tx.updateKey(changed));
      expect(updated).toEqual({ ...changed, rowVersion: key.rowVersion + 1 });
      expect(await store().getKey(key.id)).toEqual(updated);
    });

    it('fails an update of a missing key with NOT_FOUND', async () => {
      const update = write(store(), (tx) => tx.updateKey(newKey()));
      await expect(update).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('fails an update from a stale read with CONFLICT and writes nothing', async () => {
      const key = newKey();
      await write(store(), (tx) => tx.insertKey(key));
      await write(store(), (tx) => tx.updateKey({ ...key, description: 'first' }));
      const stale = write(store(), (tx) => tx.updateKey({ ...key, description: 'stale' }));
      await expect(stale).rejects.toMatchObject({ code: 'CONFLICT' });
      expect(await store().getKey(key.id)).toMatchObject({ description: 'first', rowVersion: 2 });
    });

    it('deletes a key with its versions, aliases and import tokens', async () => {
      const [doomed, kept] = [newKey({ tags: { t: 'v' } }), newKey({ tags: { t: 'v' } })];
      await seedKeys(store(), [doomed, kept]);
      const token = newImportToken(doomed.id);
      const keptToken = newImportToken(kept.id);
      await write(store(), async (tx) => {
        await tx.insertVersion(newVersion(doomed.id, 2));
        await tx.insertAlias(newAlias('alias/doomed', doomed.id));
        await tx.insertAlias(newAlias('alias/kept', kept.id));
        await tx.putImportToken(token);
        await tx.putImportToken(keptToken);
      });
      await write(store(), (tx) => tx.deleteKey(doomed.id));
      expect(await store().getKey(doomed.id)).toBeUndefined();
      expect(await store().getVersions(doomed.id)).toEqual([]);
      expect(await store().getAlias('alias/doomed')).toBeUndefined();
      expect(await store().getImportToken(token.id)).toBeUndefined();
      const tagged = await store().listKeys({ tag: { key: 't' } }, { limit: 10 });
      expect(tagged.items.map((k) => k.id)).toEqual([kept.id]);
      expect(await store().getVersions(kept.id)).toHaveLength(1);
      expect(await store().getAlias('alias/kept')).toBeDefined();
      expect(await store().getImportToken(keptToken.id)).toEqual(keptToken);
    });

    it('treats deleting a missing key as done', async () => {
      await expect(write(store(), (tx) => tx.deleteKey('no-such-key'))).resolves.toBeUndefined();
    });
  });

  describe('versions', () => {
    it('round-trips versions with binary and null material, ascending', async () => {
      const key = newKey({ spec: 'RSA_2048', usage: 'SIGN_VERIFY' });
      const v1 = newVersion(key.id, 1, {
        wrappedMaterial: Buffer.from([0, 0xff, 0x00, 0x7f, 0x80]),
        publicKey: Buffer.from([0x30, 0x00, 0xfe]),
        usageCount: 42,
        rowVersion: 3,
      });
      const v2 = newVersion(key.id, 2, { state: 'Destroyed', wrappedMaterial: null });
      const v3 = newVersion(key.id, 3, { state: 'Compromised', wrappedMaterial: Buffer.alloc(0) });
      await write(store(), async (tx) => {
        await tx.insertKey(key);
        for (const v of [v3, v1, v2]) await tx.insertVersion(v);
      });
      expect(await store().getVersions(key.id)).toEqual([v1, v2, v3]);
      const stored = await store().getVersion(key.id, 1);
      expect(stored).toEqual(v1);
      expect(Buffer.isBuffer(stored?.wrappedMaterial)).toBe(true);
    });

    it('rejects an existing version as ALREADY_EXISTS and a missing key as NOT_FOUND', async () => {
      const key = newKey();
      await seedKeys(store(), [key]);
      const again = write(store(), (tx) => tx.insertVersion(newVersion(key.id, 1)));
      await expect(again).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
      const orphan = write(store(), (tx) => tx.insertVersion(newVersion('no-such-key', 1)));
      await expect(orphan).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('updates a version optimistically and keeps the stored usage count', async () => {
      const key = newKey();
      await seedKeys(store(), [key]);
      const v1 = (await store().getVersion(key.id, 1))!;
      await store().addVersionUsage([{ keyId: key.id, version: 1, count: 5 }]);
      const updated = await write(store(), (tx) =>
        tx.updateVersion({ ...v1, state: 'Disabled', publicKey: Buffer.from([1, 2]) }),
      );
      expect(updated).toEqual({
        ...v1,
        state: 'Disabled',
        publicKey: Buffer.from([1, 2]),
        usageCount: 5,
        rowVersion: v1.rowVersion + 1,
      });
      expect(await store().getVersion(key.id, 1)).toEqual(updated);

      const stale = write(store(), (tx) => tx.updateVersion({ ...v1, state: 'Enabled' }));
      await expect(stale).rejects.toMatchObject({ code: 'CONFLICT' });
      const missing = write(store(), (tx) => tx.updateVersion(newVersion(key.id, 9)));
      await expect(missing).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect((await store().getVersion(key.id, 1))?.state).toBe('Disabled');
    });

    it('adds usage counts without moving row versions', async () => {
      const [a, b] = [newKey(), newKey()];
      await seedKeys(store(), [a, b]);
      await write(store(), (tx) => tx.insertVersion(newVersion(a.id, 2)));
      await store().addVersionUsage([
        { keyId: a.id, version: 1, count: 3 },
        { keyId: a.id, version: 2, count: 1 },
        { keyId: b.id, version: 1, count: 10 },
        { keyId: a.id, version: 1, count: 4 },
      ]);
      await Promise.all([
        store().addVersionUsage([{ keyId: a.id, version: 1, count: 1 }]),
        store().addVersionUsage([{ keyId: a.id, version: 1, count: 1 }]),
        store().addVersionUsage([]),
      ]);
      const versions = await store().getVersions(a.id);
      expect(versions.map((v) => [v.usageCount, v.rowVersion])).toEqual([
        [9, 1],
        [1, 1],
      ]);
      expect((await store().getVersion(b.id, 1))?.usageCount).toBe(10);
      expect((await store().getKey(a.id))?.rowVersion).toBe(1);
    });

    it('ignores usage for a version that does not exist', async () => {
      const key = newKey();
      await seedKeys(store(), [key]);
      await store().addVersionUsage([
        { keyId: key.id, version: 7, count: 1 },
        { keyId: 'no-such-key', version: 1, count: 1 },
        { keyId: key.id, version: 1, count: 2 },
      ]);
      expect((await store().getVersion(key.id, 1))?.usageCount).toBe(2);
    });
  });

  describe('aliases, import tokens and meta', () => {
    it('keeps alias names unique and moves, updates and deletes aliases', async () => {
      const [a, b] = [newKey(), newKey()];
      await seedKeys(store(), [a, b]);
      const alias = newAlias('alias/app', a.id);
      await write(store(), (tx) => tx.insertAlias(alias));
      expect(await store().getAlias('alias/app')).toEqual(alias);

      const taken = write(store(), (tx) => tx.insertAlias(newAlias('alias/app', b.id)));
      await expect(taken).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
      expect((await store().getAlias('alias/app'))?.keyId).toBe(a.id);

      await write(store(), (tx) => tx.updateAlias({ ...alias, keyId: b.id, updatedAt: at(99) }));
      expect(await store().getAlias('alias/app')).toEqual({
        ...alias,
        keyId: b.id,
        updatedAt: at(99),
      });
      await write(store(), (tx) => tx.deleteAlias('alias/app'));
      expect(await store().getAlias('alias/app')).toBeUndefined();
    });

    it('fails alias writes on a missing alias or key with NOT_FOUND', async () => {
      const key = newKey();
      await seedKeys(store(), [key]);
      const attempts = [
        () => write(store(), (tx) => tx.updateAlias(newAlias('alias/none', key.id))),
        () => write(store(), (tx) => tx.deleteAlias('alias/none')),
        () => write(store(), (tx) => tx.insertAlias(newAlias('alias/orphan', 'no-such-key'))),
      ];
      for (const attempt of attempts) {
        await expect(attempt()).rejects.toMatchObject({ code: 'NOT_FOUND' });
      }
    });

    it('puts, replaces and deletes import tokens', async () => {
      const key = newKey({ origin: 'EXTERNAL', state: 'PendingImport' });
      await seedKeys(store(), [key]);
      const token = newImportToken(key.id);
      await write(store(), (tx) => tx.putImportToken(token));
      expect(await store().getImportToken(token.id)).toEqual(token);
      const replaced = { ...token, wrappedPrivateKey: Buffer.from([9, 9]), expiresAt: at(2 * DAY) };
      await write(store(), (tx) => tx.putImportToken(replaced));
      expect(await store().getImportToken(token.id)).toEqual(replaced);
      await write(store(), (tx) => tx.deleteImportToken(token.id));
      expect(await store().getImportToken(token.id)).toBeUndefined();
      await expect(write(store(), (tx) => tx.deleteImportToken(token.id))).resolves.toBeUndefined();
      const orphan = write(store(), (tx) => tx.putImportToken(newImportToken('no-such-key')));
      await expect(orphan).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('puts and replaces binary meta values', async () => {
      const value = Buffer.from([0, 1, 0, 0xff]);
      await write(store(), (tx) => tx.putMeta('domain-key', value));
      expect(await store().getMeta('domain-key')).toEqual(value);
      await write(store(), (tx) => tx.putMeta('domain-key', Buffer.from('v2')));
      expect((await store().getMeta('domain-key'))?.toString()).toBe('v2');
    });
  });
}
