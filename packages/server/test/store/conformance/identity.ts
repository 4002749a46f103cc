import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type {
  CertificateMapping,
  PolicyRecord,
  PrincipalRecord,
  TokenRecord,
} from '../../../src/core/identity.js';
import { DAY, at, collectPages, write, type ConformanceContext } from './fixtures.js';

export function newPrincipal(
  id: string,
  overrides: Partial<PrincipalRecord> = {},
): PrincipalRecord {
  return {
    id,
    kind: 'user',
    policies: [],
    disabled: false,
    createdAt: at(0),
    rowVersion: 1,
    ...overrides,
  };
}

export function newToken(principalId: string, overrides: Partial<TokenRecord> = {}): TokenRecord {
  return {
    id: createHash('sha256').update(randomBytes(32)).digest('hex'),
    accessor: randomBytes(9).toString('base64url'),
    principalId,
    policies: [],
    displayName: '',
    createdAt: at(0),
    expiresAt: null,
    revokedAt: null,
    lastUsedAt: null,
    ...overrides,
  };
}

export function newPolicy(name: string, overrides: Partial<PolicyRecord> = {}): PolicyRecord {
  return {
    name,
    document: {
      version: '2026-11-01',
      statements: [
        { sid: 'enc', effect: 'allow', actions: ['kms:Encrypt'], resources: ['alias/app-*'] },
      ],
    },
    updatedAt: at(0),
    rowVersion: 1,
    ...overrides,
  };
}

function newMapping(
  principalId: string,
  overrides: Partial<CertificateMapping> = {},
): CertificateMapping {
  return {
    match: 'fingerprint',
    value: randomBytes(32).toString('hex'),
    principalId,
    createdAt: at(5),
    ...overrides,
  };
}

export function describeIdentity({ store, reopen }: ConformanceContext): void {
  describe('principals', () => {
    it('round-trips every field, and answers undefined for a missing one', async () => {
      const p = newPrincipal('user/ålice@example.com', {
        kind: 'service',
        policies: ['readers', 'writers'],
        disabled: true,
        createdAt: at(123),
        rowVersion: 4,
      });
      await write(store(), (tx) => tx.insertPrincipal(p));
      expect(await store().getPrincipal(p.id)).toEqual(p);
      expect(await store().getPrincipal('user/nobody')).toBeUndefined();
    });

    it('refuses a taken id as ALREADY_EXISTS', async () => {
      await write(store(), (tx) => tx.insertPrincipal(newPrincipal('user/a')));
      await expect(
        write(store(), (tx) => tx.insertPrincipal(newPrincipal('user/a'))),
      ).rejects.toMatchObject({
        code: 'ALREADY_EXISTS',
      });
    });

    it('updates optimistically: CONFLICT on a stale row version, NOT_FOUND when missing', async () => {
      const p = newPrincipal('user/a');
      await write(store(), (tx) => tx.insertPrincipal(p));
      const updated = await write(store(), (tx) =>
        tx.updatePrincipal({ ...p, policies: ['x'], disabled: true }),
      );
      expect(updated.rowVersion).toBe(2);
      expect(await store().getPrincipal('user/a')).toEqual(updated);
      await expect(
        write(store(), (tx) => tx.updatePrincipal({ ...p, policies: [] })),
      ).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      await expect(
        write(store(), (tx) => tx.updatePrincipal(newPrincipal('user/b'))),
      ).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    });

    it('lists in id order, page by page', async () => {
      const ids = ['user/c', 'service/b', 'user/a', 'root', 'oidc/https://idp.example/x'];
      await write(store(), async (tx) => {
        for (const id of ids) await tx.insertPrincipal(newPrincipal(id));
      });
      const { items, pages } = await collectPages(
        (cursor) => store().listPrincipals({ limit: 2, ...(cursor !== undefined && { cursor }) }),
        2,
      );
      expect(items.map((p) => p.id)).toEqual([...ids].sort());
      expect(pages).toBe(3);
    });

    it('deletes with the principal its tokens and certificate mappings; NOT_FOUND when missing', async () => {
      const token = newToken('user/a');
      const mapping = newMapping('user/a');
      await write(store(), async (tx) => {
        await tx.insertPrincipal(newPrincipal('user/a'));
        await tx.insertToken(token);
        await tx.putCertificateMapping(mapping);
      });
      await write(store(), (tx) => tx.deletePrincipal('user/a'));
      expect(await store().getPrincipal('user/a')).toBeUndefined();
      expect(await store().getToken(token.id)).toBeUndefined();
      expect(await store().getCertificateMapping('fingerprint', mapping.value)).toBeUndefined();
      await expect(write(store(), (tx) => tx.deletePrincipal('user/a'))).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    });
  });

  describe('tokens', () => {
    it('round-trips every field by id and by accessor', async () => {
      const t = newToken('user/a', {
        policies: ['readers'],
        displayName: 'ci — deploy 🚀',
        createdAt: at(1),
        expiresAt: at(DAY + 999),
        revokedAt: at(2),
        lastUsedAt: at(3),
      });
      await write(store(), async (tx) => {
        await tx.insertPrincipal(newPrincipal('user/a'));
        await tx.insertToken(t);
      });
      expect(await store().getToken(t.id)).toEqual(t);
      expect(await store().getTokenByAccessor(t.accessor)).toEqual(t);
      expect(await store().getToken('0'.repeat(64))).toBeUndefined();
      expect(await store().getTokenByAccessor('nope')).toBeUndefined();
    });

    it('refuses a taken id or accessor as ALREADY_EXISTS and a missing principal as NOT_FOUND', async () => {
      const t = newToken('user/a');
      await write(store(), async (tx) => {
        await tx.insertPrincipal(newPrincipal('user/a'));
        await tx.insertToken(t);
      });
      await expect(
        write(store(), (tx) => tx.insertToken(newToken('user/a', { id: t.id }))),
      ).rejects.toMatchObject({
        code: 'ALREADY_EXISTS',
      });
      await expect(
        write(store(), (tx) => tx.insertToken(newToken('user/a', { accessor: t.accessor }))),
      ).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
      await expect(
        write(store(), (tx) => tx.insertToken(newToken('user/ghost'))),
      ).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    });

    it('never names the token id (a hash of the secret) in an error', async () => {
      const t = newToken('user/a');
      await write(store(), async (tx) => {
        await tx.insertPrincipal(newPrincipal('user/a'));
        await tx.insertToken(t);
      });
      const error: unknown = await write(store(), (tx) =>
        tx.insertToken(newToken('user/a', { id: t.id })),
      ).catch((e: unknown) => e);
      expect(String(error)).not.toContain(t.id);
    });

    it('revokes by accessor, keeping the first revocation time; NOT_FOUND when missing', async () => {
      const t = newToken('user/a');
      await write(store(), async (tx) => {
        await tx.insertPrincipal(newPrincipal('user/a'));
        await tx.insertToken(t);
      });
      const revoked = await write(store(), (tx) => tx.revokeToken(t.accessor, at(10)));
      expect(revoked).toEqual({ ...t, revokedAt: at(10) });
      const again = await write(store(), (tx) => tx.revokeToken(t.accessor, at(20)));
      expect(again.revokedAt).toEqual(at(10));
      expect(await store().getToken(t.id)).toEqual(revoked);
      await expect(write(store(), (tx) => tx.revokeToken('nope', at(1)))).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    });

    it('lists by accessor, all or one principal’s, page by page', async () => {
      const tokens = [
        ...['a1', 'a2', 'a3'].map((accessor) => newToken('user/a', { accessor })),
        ...['b1', 'b2'].map((accessor) => newToken('user/b', { accessor })),
      ];
      await write(store(), async (tx) => {
        await tx.insertPrincipal(newPrincipal('user/a'));
        await tx.insertPrincipal(newPrincipal('user/b'));
        for (const t of tokens.toReversed()) await tx.insertToken(t);
      });
      const all = await collectPages(
        (cursor) => store().listTokens({}, { limit: 2, ...(cursor !== undefined && { cursor }) }),
        2,
      );
      expect(all.items.map((t) => t.accessor)).toEqual(['a1', 'a2', 'a3', 'b1', 'b2']);
      const mine = await collectPages(
        (cursor) =>
          store().listTokens(
            { principalId: 'user/a' },
            { limit: 2, ...(cursor !== undefined && { cursor }) },
          ),
        2,
      );
      expect(mine.items).toEqual(tokens.slice(0, 3));
      expect((await store().listTokens({ principalId: 'user/none' }, { limit: 5 })).items).toEqual(
        [],
      );
    });

    it('records last use forward only, in one call, ignoring unknown tokens', async () => {
      const [t1, t2] = [newToken('user/a'), newToken('user/a', { lastUsedAt: at(50) })];
      await write(store(), async (tx) => {
        await tx.insertPrincipal(newPrincipal('user/a'));
        await tx.insertToken(t1);
        await tx.insertToken(t2);
      });
      await store().recordTokenUse([
        { tokenId: t1.id, at: at(100) },
        { tokenId: t2.id, at: at(40) },
        { tokenId: 'f'.repeat(64), at: at(100) },
      ]);
      expect((await store().getToken(t1.id))?.lastUsedAt).toEqual(at(100));
      expect((await store().getToken(t2.id))?.lastUsedAt).toEqual(at(50));
      await store().recordTokenUse([{ tokenId: t2.id, at: at(60) }]);
      expect((await store().getToken(t2.id))?.lastUsedAt).toEqual(at(60));
      await store().recordTokenUse([]);
    });

    it('keeps a transaction usable after a failed token insert', async () => {
      const t = newToken('user/a');
      await write(store(), async (tx) => {
        await tx.insertPrincipal(newPrincipal('user/a'));
        await expect(tx.insertToken(newToken('user/ghost'))).rejects.toMatchObject({
          code: 'NOT_FOUND',
        });
        await tx.insertToken(t);
      });
      expect(await store().getToken(t.id)).toEqual(t);
    });
  });

  describe('policies', () => {
    it('round-trips a document exactly', async () => {
      const p = newPolicy('app', {
        document: {
          version: '2026-11-01',
          statements: [
            {
              sid: 'ctx',
              effect: 'deny',
              actions: ['kms:Decrypt', 'kms:Generate*'],
              resources: ['*'],
              conditions: {
                tags: { équipe: '支払い' },
                encryptionContext: { tenant: '*' },
                sourceAddress: ['10.0.0.0/8', '2001:db8::/32'],
                requireReplayProtection: true,
              },
            },
          ],
        },
        updatedAt: at(77),
        rowVersion: 3,
      });
      await write(store(), (tx) => tx.insertPolicy(p));
      expect(await store().getPolicy('app')).toEqual(p);
      expect(await store().getPolicy('none')).toBeUndefined();
    });

    it('refuses a taken name as ALREADY_EXISTS', async () => {
      await write(store(), (tx) => tx.insertPolicy(newPolicy('app')));
      await expect(write(store(), (tx) => tx.insertPolicy(newPolicy('app')))).rejects.toMatchObject(
        {
          code: 'ALREADY_EXISTS',
        },
      );
    });

    it('updates optimistically: one of two writers from the same read wins, the other is CONFLICT', async () => {
      const p = newPolicy('app');
      await write(store(), (tx) => tx.insertPolicy(p));
      const changed = {
        ...p,
        document: { version: '2026-11-01' as const, statements: [] },
        updatedAt: at(9),
      };
      const first = await write(store(), (tx) => tx.updatePolicy(changed));
      expect(first.rowVersion).toBe(2);
      expect(await store().getPolicy('app')).toEqual(first);
      await expect(
        write(store(), (tx) => tx.updatePolicy({ ...p, updatedAt: at(10) })),
      ).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      expect(await store().getPolicy('app')).toEqual(first);
      await expect(
        write(store(), (tx) => tx.updatePolicy(newPolicy('none'))),
      ).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    });

    it('deletes, checking the row version when given; NOT_FOUND when missing', async () => {
      await write(store(), (tx) => tx.insertPolicy(newPolicy('app', { rowVersion: 2 })));
      await expect(write(store(), (tx) => tx.deletePolicy('app', 1))).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      await write(store(), (tx) => tx.deletePolicy('app', 2));
      expect(await store().getPolicy('app')).toBeUndefined();
      await write(store(), (tx) => tx.insertPolicy(newPolicy('other')));
      await write(store(), (tx) => tx.deletePolicy('other'));
      await expect(write(store(), (tx) => tx.deletePolicy('other'))).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    });

    it('lists in name order, page by page', async () => {
      const names = ['zeta', 'alpha', 'Mixed', 'beta.v2', 'beta-v1'];
      await write(store(), async (tx) => {
        for (const name of names) await tx.insertPolicy(newPolicy(name));
      });
      const { items } = await collectPages(
        (cursor) => store().listPolicies({ limit: 2, ...(cursor !== undefined && { cursor }) }),
        2,
      );
      expect(items.map((p) => p.name)).toEqual([...names].sort());
    });
  });

  describe('certificate mappings', () => {
    it('maps by fingerprint and by subject, replaces, lists and deletes', async () => {
      await write(store(), async (tx) => {
        await tx.insertPrincipal(newPrincipal('service/a'));
        await tx.insertPrincipal(newPrincipal('service/b'));
      });
      const byPrint = newMapping('service/a');
      const bySubject = newMapping('service/a', {
        match: 'subject',
        value: 'CN=app\nO=Example, Inc.',
      });
      await write(store(), async (tx) => {
        await tx.putCertificateMapping(byPrint);
        await tx.putCertificateMapping(bySubject);
      });
      expect(await store().getCertificateMapping('fingerprint', byPrint.value)).toEqual(byPrint);
      expect(await store().getCertificateMapping('subject', bySubject.value)).toEqual(bySubject);
      expect(await store().getCertificateMapping('subject', byPrint.value)).toBeUndefined();
      expect(await store().listCertificateMappings('service/a')).toEqual([byPrint, bySubject]);

      const moved = { ...byPrint, principalId: 'service/b', createdAt: at(9) };
      await write(store(), (tx) => tx.putCertificateMapping(moved));
      expect(await store().getCertificateMapping('fingerprint', byPrint.value)).toEqual(moved);
      expect(await store().listCertificateMappings('service/a')).toEqual([bySubject]);

      await write(store(), (tx) => tx.deleteCertificateMapping('subject', bySubject.value));
      expect(await store().listCertificateMappings('service/a')).toEqual([]);
      await expect(
        write(store(), (tx) => tx.deleteCertificateMapping('subject', bySubject.value)),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('refuses a mapping to a missing principal as NOT_FOUND', async () => {
      await expect(
        write(store(), (tx) => tx.putCertificateMapping(newMapping('service/ghost'))),
      ).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    });
  });

  it.runIf(reopen !== undefined)('keeps identities across a reopen', async () => {
    const t = newToken('user/a', { policies: ['app'] });
    await write(store(), async (tx) => {
      await tx.insertPrincipal(newPrincipal('user/a', { policies: ['app'] }));
      await tx.insertToken(t);
      await tx.insertPolicy(newPolicy('app'));
    });
    const reopened = await reopen!();
    expect(await reopened.getToken(t.id)).toEqual(t);
    expect(await reopened.getPolicy('app')).toEqual(newPolicy('app'));
    expect((await reopened.getPrincipal('user/a'))?.policies).toEqual(['app']);
  });
}
