import { readFileSync, existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  authenticateToken,
  createPrincipal,
  createRootToken,
  createToken,
  deletePrincipal,
  flushTokenUse,
  listTokens,
  lookupSelf,
  putPolicy,
  revokeToken,
} from '../../src/service/identity/index.js';
import { ANONYMOUS_PRINCIPAL } from '../../src/core/principal.js';
import { TOKEN_USE_FLUSH_MS } from '../../src/service/identity/token-use.js';
import { tokenId } from '../../src/service/identity/token-secret.js';
import { type IdentityHarness, codeOf, makeIdentityKms, settle, user } from './harness.js';

const readers = {
  version: '2026-11-01',
  statements: [{ effect: 'allow', actions: ['kms:DescribeKey'], resources: ['*'] }],
};

describe('tokens', () => {
  let h: IdentityHarness;
  beforeEach(async () => {
    h = await makeIdentityKms();
    await putPolicy(h.root, { name: 'readers', document: readers });
    await putPolicy(h.root, { name: 'writers', document: readers });
    await createPrincipal(h.root, { id: 'service/app', kind: 'service', policies: ['readers'] });
  });
  afterEach(async () => {
    await h.close();
  });

  it('issues cus_ + 256-bit base64url secrets that authenticate as their principal', async () => {
    const issued = await createToken(h.root, { principal: 'service/app', displayName: 'ci' });
    expect(issued.token).toMatch(/^cus_[A-Za-z0-9_-]{43}$/);
    expect(issued.expiresAt).toBeNull();
    const principal = await authenticateToken(h.kms, issued.token);
    expect(principal).toEqual({
      id: 'service/app',
      kind: 'service',
      policies: ['readers'],
      credential: { type: 'token', id: issued.accessor, expiresAt: null },
    });
  });

  it('creates the root principal and a root token that may do everything', async () => {
    const { token } = await createRootToken(h.kms);
    const again = await createRootToken(h.kms);
    expect(again.token).not.toBe(token);
    const root = await authenticateToken(h.kms, token);
    expect(root).toMatchObject({ id: 'root', kind: 'root', policies: [] });
    expect(
      h.kms.authorizer.decide(root, { action: 'custos:DeletePolicy', resource: 'policy/x' })
        .allowed,
    ).toBe(true);
    expect((await authenticateToken(h.kms, again.token)).id).toBe('root');
  });

  it('expires a token at its TTL, by the service clock', async () => {
    const { token, expiresAt } = await createToken(h.root, { principal: 'service/app', ttl: 3600 });
    expect(expiresAt).toEqual(new Date(h.clock.now().getTime() + 3_600_000));
    h.clock.advance(3_599_999);
    expect((await authenticateToken(h.kms, token)).id).toBe('service/app');
    h.clock.advance(1);
    expect(await codeOf(authenticateToken(h.kms, token))).toBe('UNAUTHENTICATED');
  });

  it('stops a revoked token at once, even one just used (cached)', async () => {
    const { token, accessor } = await createToken(h.root, { principal: 'service/app' });
    await authenticateToken(h.kms, token);
    const revoked = await revokeToken(h.root, { accessor });
    expect(revoked.revokedAt).toEqual(h.clock.now());
    expect(await codeOf(authenticateToken(h.kms, token))).toBe('UNAUTHENTICATED');
    const again = await revokeToken(h.root, { accessor });
    expect(again.revokedAt).toEqual(revoked.revokedAt);
    expect(await codeOf(revokeToken(h.root, { accessor: 'no-such-accessor' }))).toBe('NOT_FOUND');
  });

  it('refuses unknown, malformed and empty tokens with one message', async () => {
    const { token, accessor } = await createToken(h.root, { principal: 'service/app', ttl: 1 });
    await revokeToken(h.root, { accessor });
    const messages = new Set<string>();
    for (const candidate of [
      `cus_${'A'.repeat(43)}`,
      'cus_short',
      '',
      token.slice(4),
      token + 'x',
      'Bearer ' + token,
      token,
    ]) {
      const error: unknown = await authenticateToken(h.kms, candidate).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'UNAUTHENTICATED' });
      messages.add((error as Error).message);
    }
    expect(messages.size).toBe(1);
    expect([...messages][0]).not.toContain(token);
  });

  it('stops the tokens of a deleted principal', async () => {
    const { token } = await createToken(h.root, { principal: 'service/app' });
    await authenticateToken(h.kms, token);
    await deletePrincipal(h.root, { id: 'service/app' });
    expect(await codeOf(authenticateToken(h.kms, token))).toBe('UNAUTHENTICATED');
  });

  it('stores only the hash: the secret is in neither the database nor its WAL', async () => {
    const { token } = await createToken(h.root, {
      principal: 'service/app',
      displayName: 'deploy',
    });
    await authenticateToken(h.kms, token);
    await flushTokenUse(h.kms);
    const files = [h.file, `${h.file}-wal`].filter((f) => existsSync(f));
    const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
    expect(bytes.length).toBeGreaterThan(0);
    // The search can find things: the hash (the token's id) is there.
    expect(bytes.includes(Buffer.from(tokenId(token)))).toBe(true);
    expect(bytes.includes(Buffer.from(token))).toBe(false);
    expect(bytes.includes(Buffer.from(token.slice(4)))).toBe(false);
    expect(bytes.includes(Buffer.from(token.slice(4, 24)))).toBe(false);
  });

  it('records last use in memory, and writes it in a batch once the flush interval passed', async () => {
    const { token, accessor } = await createToken(h.root, { principal: 'service/app' });
    const first = h.clock.now();
    await authenticateToken(h.kms, token);
    await settle();
    expect((await h.store.getTokenByAccessor(accessor))?.lastUsedAt).toBeNull();
    const listed = await listTokens(h.root, { principal: 'service/app' });
    expect(listed.tokens[0]?.lastUsedAt).toEqual(first);

    h.clock.advance(TOKEN_USE_FLUSH_MS);
    const second = h.clock.now();
    await authenticateToken(h.kms, token);
    await settle();
    expect((await h.store.getTokenByAccessor(accessor))?.lastUsedAt).toEqual(second);
  });

  it('lists tokens by accessor without secrets or hashes', async () => {
    const a = await createToken(h.root, { principal: 'service/app', displayName: 'a' });
    const b = await createToken(h.root, {
      principal: 'service/app',
      policies: ['readers'],
      ttl: 60,
    });
    const listed = await listTokens(h.root, { principal: 'service/app' });
    expect(listed.tokens.map((t) => t.accessor).sort()).toEqual([a.accessor, b.accessor].sort());
    const text = JSON.stringify(listed);
    for (const secret of [a.token, b.token]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(tokenId(secret));
    }
    expect(Object.keys(listed.tokens[0]!).sort()).toEqual(
      [
        'accessor',
        'createdAt',
        'displayName',
        'expiresAt',
        'lastUsedAt',
        'policies',
        'principal',
        'revokedAt',
      ].sort(),
    );
  });

  it('narrows a token to a subset of its principal’s policies', async () => {
    await createPrincipal(h.root, { id: 'user/multi', policies: ['readers', 'writers'] });
    const { token } = await createToken(h.root, { principal: 'user/multi', policies: ['readers'] });
    expect((await authenticateToken(h.kms, token)).policies).toEqual(['readers']);
  });

  it('lets only a caller allowed custos:AttachPolicy give a token policies its principal lacks', async () => {
    await putPolicy(h.root, {
      name: 'token-admin',
      document: {
        version: '2026-11-01',
        statements: [
          { effect: 'allow', actions: ['custos:CreateToken'], resources: ['principal/service/*'] },
        ],
      },
    });
    const admin = h.as(user('user/admin', ['token-admin']));
    expect(
      (await createToken(admin, { principal: 'service/app', policies: ['readers'] })).policies,
    ).toEqual(['readers']);
    expect(
      await codeOf(createToken(admin, { principal: 'service/app', policies: ['writers'] })),
    ).toBe('ACCESS_DENIED');
    expect(await codeOf(createToken(admin, { principal: 'user/other' }))).toBe('ACCESS_DENIED');
    const carried = await createToken(h.root, { principal: 'service/app', policies: ['writers'] });
    expect((await authenticateToken(h.kms, carried.token)).policies).toEqual(['writers']);
  });

  it('refuses bad token requests with typed errors', async () => {
    expect(await codeOf(createToken(h.root, { principal: 'service/ghost' }))).toBe('NOT_FOUND');
    expect(
      await codeOf(createToken(h.root, { principal: 'service/app', policies: ['nope'] })),
    ).toBe('NOT_FOUND');
    expect(await codeOf(createToken(h.root, { principal: 'service/app', ttl: 0 }))).toBe(
      'INVALID_INPUT',
    );
    expect(await codeOf(createToken(h.root, { principal: 'service/app', ttl: 1.5 }))).toBe(
      'INVALID_INPUT',
    );
    expect(
      await codeOf(createToken(h.root, { principal: 'service/app', displayName: 'a\nb' })),
    ).toBe('INVALID_INPUT');
    expect(
      await codeOf(createToken(h.root, { principal: 'service/app', policies: ['bad name'] })),
    ).toBe('INVALID_INPUT');
    await createRootToken(h.kms);
    expect(await codeOf(createToken(h.root, { principal: 'root', policies: ['readers'] }))).toBe(
      'INVALID_INPUT',
    );
  });

  it('refuses unauthorized callers before revealing whether an accessor exists', async () => {
    const { accessor } = await createToken(h.root, { principal: 'service/app' });
    const nobody = h.as(user('user/nobody'));
    expect(await codeOf(revokeToken(nobody, { accessor }))).toBe('ACCESS_DENIED');
    expect(await codeOf(revokeToken(nobody, { accessor: 'missing' }))).toBe('ACCESS_DENIED');
    expect(await codeOf(listTokens(nobody, {}))).toBe('ACCESS_DENIED');
  });

  it('looks up the caller and the token it used', async () => {
    const { token, accessor } = await createToken(h.root, { principal: 'service/app', ttl: 60 });
    const principal = await authenticateToken(h.kms, token);
    const self = await lookupSelf(h.as(principal));
    expect(self).toMatchObject({
      id: 'service/app',
      kind: 'service',
      policies: ['readers'],
      credential: { type: 'token', expiresAt: new Date(h.clock.now().getTime() + 60_000) },
      token: { accessor, principal: 'service/app' },
    });
    expect(await codeOf(lookupSelf(h.as(ANONYMOUS_PRINCIPAL)))).toBe('UNAUTHENTICATED');
  });
});
