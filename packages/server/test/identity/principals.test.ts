import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createPrincipal,
  createRootToken,
  deletePrincipal,
  describePrincipal,
  listPrincipals,
  mapCertificate,
  putPolicy,
} from '../../src/service/identity/index.js';
import { type IdentityHarness, codeOf, makeIdentityKms, user } from './harness.js';

const empty = { version: '2026-11-01', statements: [] };

describe('principals', () => {
  let h: IdentityHarness;
  beforeEach(async () => {
    h = await makeIdentityKms();
    await putPolicy(h.root, { name: 'app', document: empty });
  });
  afterEach(async () => {
    await h.close();
  });

  it('creates, describes, lists and deletes', async () => {
    const created = await createPrincipal(h.root, { id: 'user/alice', policies: ['app', 'app'] });
    expect(created).toEqual({
      id: 'user/alice',
      kind: 'user',
      policies: ['app'],
      disabled: false,
      createdAt: h.clock.now(),
    });
    await createPrincipal(h.root, { id: 'service/billing', kind: 'service' });
    await mapCertificate(h.root, {
      principal: 'service/billing',
      fingerprint256: 'AB:'.repeat(31) + 'AB',
    });
    expect(await describePrincipal(h.root, { id: 'user/alice' })).toEqual({
      ...created,
      certificates: [],
    });
    expect((await describePrincipal(h.root, { id: 'service/billing' })).certificates).toEqual([
      {
        match: 'fingerprint',
        value: 'ab'.repeat(32),
        principal: 'service/billing',
        createdAt: h.clock.now(),
      },
    ]);
    const first = await listPrincipals(h.root, { limit: 1 });
    expect(first.principals.map((p) => p.id)).toEqual(['service/billing']);
    const second = await listPrincipals(h.root, { limit: 1, cursor: first.nextCursor! });
    expect(second).toEqual({ principals: [created], nextCursor: null });
    await deletePrincipal(h.root, { id: 'user/alice' });
    expect(await codeOf(describePrincipal(h.root, { id: 'user/alice' }))).toBe('NOT_FOUND');
    expect(await codeOf(deletePrincipal(h.root, { id: 'user/alice' }))).toBe('NOT_FOUND');
  });

  it.each([
    ['a taken id', { id: 'user/alice' }, 'ALREADY_EXISTS'],
    ['the root id', { id: 'root' }, 'INVALID_INPUT'],
    ['the anonymous id', { id: 'anonymous' }, 'INVALID_INPUT'],
    ['an id with a space', { id: 'user/al ice' }, 'INVALID_INPUT'],
    ['an empty id', { id: '' }, 'INVALID_INPUT'],
    ['a root kind', { id: 'user/x', kind: 'root' }, 'INVALID_INPUT'],
    ['a missing policy', { id: 'user/x', policies: ['nope'] }, 'NOT_FOUND'],
    ['a malformed policy name', { id: 'user/x', policies: ['a b'] }, 'INVALID_INPUT'],
  ])('refuses %s', async (_name, input, code) => {
    await createPrincipal(h.root, { id: 'user/alice' });
    expect(await codeOf(createPrincipal(h.root, input as never))).toBe(code);
  });

  it('never deletes the root principal', async () => {
    await createRootToken(h.kms);
    expect(await codeOf(deletePrincipal(h.root, { id: 'root' }))).toBe('INVALID_STATE');
  });

  it('authorizes by principal resource, and attaching needs custos:AttachPolicy', async () => {
    await putPolicy(h.root, {
      name: 'user-admin',
      document: {
        version: '2026-11-01',
        statements: [
          {
            effect: 'allow',
            actions: [
              'custos:CreatePrincipal',
              'custos:DescribePrincipal',
              'custos:DeletePrincipal',
            ],
            resources: ['principal/user/*'],
          },
        ],
      },
    });
    const admin = h.as(user('user/admin', ['user-admin']));
    await createPrincipal(admin, { id: 'user/bob' });
    expect(await codeOf(createPrincipal(admin, { id: 'service/x' }))).toBe('ACCESS_DENIED');
    expect(await codeOf(createPrincipal(admin, { id: 'user/carol', policies: ['app'] }))).toBe(
      'ACCESS_DENIED',
    );
    expect(await codeOf(listPrincipals(admin, {}))).toBe('ACCESS_DENIED');
    await describePrincipal(admin, { id: 'user/bob' });
    await deletePrincipal(admin, { id: 'user/bob' });
    expect(await codeOf(createPrincipal(h.as(user('user/nobody')), { id: 'user/z' }))).toBe(
      'ACCESS_DENIED',
    );
  });
});
