import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createAlias,
  createKey,
  encrypt,
  describeKey,
  generateDataKey,
} from '../../src/service/index.js';
import {
  authenticateToken,
  createPrincipal,
  createToken,
  deletePolicy,
  getPolicy,
  listPolicies,
  loadPolicies,
  putPolicy,
} from '../../src/service/identity/index.js';
import { type IdentityHarness, codeOf, makeIdentityKms, user } from './harness.js';

function doc(...statements: object[]) {
  return { version: '2026-11-01', statements };
}
const plaintext = Buffer.from('hello');

describe('policies', () => {
  let h: IdentityHarness;
  beforeEach(async () => {
    h = await makeIdentityKms();
  });
  afterEach(async () => {
    await h.close();
  });

  it('puts, replaces optimistically, gets, lists and deletes', async () => {
    const created = await putPolicy(h.root, { name: 'app', document: doc() });
    expect(created).toMatchObject({ name: 'app', rowVersion: 1, created: true, document: doc() });
    h.clock.advance(1000);
    const replaced = await putPolicy(h.root, {
      name: 'app',
      document: doc({ effect: 'allow', actions: ['kms:Encrypt'], resources: ['*'] }),
      rowVersion: 1,
    });
    expect(replaced).toMatchObject({ rowVersion: 2, created: false, updatedAt: h.clock.now() });
    expect(await codeOf(putPolicy(h.root, { name: 'app', document: doc(), rowVersion: 1 }))).toBe(
      'CONFLICT',
    );
    expect(await codeOf(putPolicy(h.root, { name: 'new', document: doc(), rowVersion: 1 }))).toBe(
      'CONFLICT',
    );
    expect({ ...(await getPolicy(h.root, { name: 'app' })), created: false }).toEqual(replaced);
    await putPolicy(h.root, { name: 'other', document: doc() });
    expect((await listPolicies(h.root, {})).policies).toEqual([
      { name: 'app', rowVersion: 2, updatedAt: replaced.updatedAt },
      { name: 'other', rowVersion: 1, updatedAt: replaced.updatedAt },
    ]);
    expect(await codeOf(deletePolicy(h.root, { name: 'app', rowVersion: 1 }))).toBe('CONFLICT');
    await deletePolicy(h.root, { name: 'app', rowVersion: 2 });
    expect(await codeOf(getPolicy(h.root, { name: 'app' }))).toBe('NOT_FOUND');
    expect(await codeOf(deletePolicy(h.root, { name: 'app' }))).toBe('NOT_FOUND');
  });

  it('refuses invalid documents and names as INVALID_INPUT', async () => {
    expect(
      await codeOf(putPolicy(h.root, { name: 'x', document: { version: '1', statements: [] } })),
    ).toBe('INVALID_INPUT');
    expect(
      await codeOf(
        putPolicy(h.root, {
          name: 'x',
          document: doc({ effect: 'allow', actions: ['kms:Nope'], resources: ['*'] }),
        }),
      ),
    ).toBe('INVALID_INPUT');
    expect(await codeOf(putPolicy(h.root, { name: 'a/b', document: doc() }))).toBe('INVALID_INPUT');
    expect(await codeOf(getPolicy(h.root, { name: '' }))).toBe('INVALID_INPUT');
  });

  it('needs custos policy actions on the policy resource', async () => {
    await putPolicy(h.root, {
      name: 'policy-reader',
      document: doc({
        effect: 'allow',
        actions: ['custos:GetPolicy'],
        resources: ['policy/app-*'],
      }),
    });
    await putPolicy(h.root, { name: 'app-1', document: doc() });
    const reader = h.as(user('user/r', ['policy-reader']));
    await getPolicy(reader, { name: 'app-1' });
    expect(await codeOf(getPolicy(reader, { name: 'policy-reader' }))).toBe('ACCESS_DENIED');
    expect(await codeOf(putPolicy(reader, { name: 'app-1', document: doc() }))).toBe(
      'ACCESS_DENIED',
    );
    expect(await codeOf(listPolicies(reader, {}))).toBe('ACCESS_DENIED');
    expect(await codeOf(deletePolicy(reader, { name: 'app-1' }))).toBe('ACCESS_DENIED');
  });

  it('governs key operations end to end, and a policy write takes effect at once', async () => {
    const app = await createKey(h.root, {});
    const other = await createKey(h.root, {});
    await createAlias(h.root, { alias: 'alias/app-payments', keyId: app.keyId });
    await putPolicy(h.root, {
      name: 'app',
      document: doc(
        {
          sid: 'use',
          effect: 'allow',
          actions: ['kms:Encrypt', 'kms:Generate*'],
          resources: ['alias/app-*'],
        },
        {
          sid: 'ctx',
          effect: 'deny',
          actions: ['kms:*'],
          resources: ['*'],
          conditions: { encryptionContext: { tenant: 'blocked' } },
        },
      ),
    });
    await createPrincipal(h.root, { id: 'service/app', kind: 'service', policies: ['app'] });
    const { token } = await createToken(h.root, { principal: 'service/app' });
    const ctx = h.as(await authenticateToken(h.kms, token));

    await encrypt(ctx, { keyId: 'alias/app-payments', plaintext });
    await generateDataKey(ctx, { keyId: app.keyId, keySpec: 'AES_256', withPlaintext: false });
    expect(await codeOf(encrypt(ctx, { keyId: other.keyId, plaintext }))).toBe('ACCESS_DENIED');
    expect(await codeOf(describeKey(ctx, { keyId: app.keyId }))).toBe('ACCESS_DENIED');
    expect(
      await codeOf(
        encrypt(ctx, { keyId: app.keyId, plaintext, encryptionContext: { tenant: 'blocked' } }),
      ),
    ).toBe('ACCESS_DENIED');
    await encrypt(ctx, { keyId: app.keyId, plaintext, encryptionContext: { tenant: 'fine' } });

    await putPolicy(h.root, {
      name: 'app',
      document: doc({ effect: 'deny', actions: ['kms:Encrypt'], resources: ['*'] }),
    });
    expect(await codeOf(encrypt(ctx, { keyId: app.keyId, plaintext }))).toBe('ACCESS_DENIED');
    await deletePolicy(h.root, { name: 'app' });
    expect(
      await codeOf(
        generateDataKey(ctx, { keyId: app.keyId, keySpec: 'AES_256', withPlaintext: false }),
      ),
    ).toBe('ACCESS_DENIED');
  });

  it('honours source address and replay protection conditions from the request context', async () => {
    const key = await createKey(h.root, {});
    await putPolicy(h.root, {
      name: 'office',
      document: doc({
        effect: 'allow',
        actions: ['kms:Encrypt'],
        resources: ['key/*'],
        conditions: { sourceAddress: ['10.0.0.0/8', 'fd00::/8'], requireReplayProtection: true },
      }),
    });
    const p = user('user/o', ['office']);
    await encrypt(h.as(p, { sourceAddress: '10.1.2.3', replayProtected: true }), {
      keyId: key.keyId,
      plaintext,
    });
    await encrypt(h.as(p, { sourceAddress: 'fd00::1', replayProtected: true }), {
      keyId: key.keyId,
      plaintext,
    });
    expect(
      await codeOf(
        encrypt(h.as(p, { sourceAddress: '10.1.2.3' }), { keyId: key.keyId, plaintext }),
      ),
    ).toBe('ACCESS_DENIED');
    expect(
      await codeOf(
        encrypt(h.as(p, { sourceAddress: '192.0.2.1', replayProtected: true }), {
          keyId: key.keyId,
          plaintext,
        }),
      ),
    ).toBe('ACCESS_DENIED');
    expect(h.authorizer.requiresReplayProtection(p)).toBe(true);
  });

  it('loads stored policies into a fresh authorizer at start', async () => {
    await putPolicy(h.root, {
      name: 'app',
      document: doc({ effect: 'allow', actions: ['kms:CreateKey'], resources: ['*'] }),
    });
    h.authorizer.cache.replace([]);
    expect(h.kms.authorizer.decide(user('u', ['app']), { action: 'kms:CreateKey' }).allowed).toBe(
      false,
    );
    await loadPolicies(h.kms);
    expect(h.kms.authorizer.decide(user('u', ['app']), { action: 'kms:CreateKey' })).toEqual({
      allowed: true,
      statement: 'app#0',
    });
  });
});
