import { describe, expect, it } from 'vitest';
import { PolicyAuthorizer } from '../../src/authz/policy-authorizer.js';
import type { KeyAccessSource } from '../../src/core/access.js';
import { POLICY_VERSION } from '../../src/core/identity.js';
import type { GrantRecord, KeyPolicy, KeyPolicyRecord } from '../../src/core/key-access.js';
import type { Principal } from '../../src/core/principal.js';

const KEY = '1234abcd-12ab-34cd-56ef-1234567890ab';
const app: Principal = { id: 'user/app', kind: 'user', policies: ['own'] };
const stranger: Principal = { id: 'user/other', kind: 'user', policies: [] };

function grant(overrides: Partial<GrantRecord> = {}): GrantRecord {
  return {
    grantId: 'a'.repeat(64),
    keyId: KEY,
    name: null,
    granteePrincipal: 'user/app',
    retiringPrincipal: null,
    issuingPrincipal: 'root',
    operations: ['kms:Encrypt'],
    constraints: null,
    createdAt: new Date(0),
    ...overrides,
  };
}

function source(grants: GrantRecord[], policy?: unknown): KeyAccessSource {
  const record =
    policy === undefined
      ? undefined
      : ({
          keyId: KEY,
          text: '{}',
          policy,
          updatedAt: new Date(0),
          rowVersion: 1,
        } as KeyPolicyRecord);
  return {
    listGrants: (filter) =>
      Promise.resolve({
        items: grants.filter((g) => filter.keyId === undefined || g.keyId === filter.keyId),
        nextCursor: null,
      }),
    listKeyPolicies: () =>
      Promise.resolve({ items: record === undefined ? [] : [record], nextCursor: null }),
    getKeyPolicy: () => Promise.resolve(record),
  };
}

async function authorizer(
  grants: GrantRecord[],
  policy?: unknown,
  own: 'allow' | 'deny' | 'none' = 'none',
): Promise<PolicyAuthorizer> {
  const a = new PolicyAuthorizer();
  const statements =
    own === 'none' ? [] : [{ sid: 's', effect: own, actions: ['kms:Encrypt'], resources: ['*'] }];
  a.cache.replace([{ name: 'own', document: { version: POLICY_VERSION, statements } }]);
  await a.refreshKeyAccess(source(grants, policy));
  return a;
}

const encrypt = (encryptionContext?: Record<string, string>) => ({
  action: 'kms:Encrypt' as const,
  keyId: KEY,
  ...(encryptionContext !== undefined && { encryptionContext }),
});

describe('grants in decisions', () => {
  it('allow the grantee the granted operations on that key only, named grant/<id>', async () => {
    const a = await authorizer([grant()]);
    expect(a.decide(app, encrypt())).toEqual({
      allowed: true,
      statement: `grant/${'a'.repeat(64)}`,
    });
    expect(a.decide(app, { action: 'kms:Decrypt', keyId: KEY }).allowed).toBe(false);
    expect(
      a.decide(app, { ...encrypt(), keyId: 'ffffffff-12ab-34cd-56ef-1234567890ab' }).allowed,
    ).toBe(false);
    expect(a.decide(stranger, encrypt()).allowed).toBe(false);
  });

  it('never override an explicit deny of the principal’s own policies', async () => {
    const a = await authorizer([grant()], undefined, 'deny');
    expect(a.decide(app, encrypt())).toEqual({ allowed: false, statement: 'own#s' });
  });

  it('apply constraints to operations that take a context only', async () => {
    const a = await authorizer([
      grant({
        operations: ['kms:Encrypt', 'kms:DescribeKey'],
        constraints: { encryptionContextEquals: { Tenant: 'acme' } },
      }),
    ]);
    expect(a.decide(app, encrypt({ tenant: 'acme' })).allowed).toBe(true);
    expect(a.decide(app, encrypt({ tenant: 'Acme' })).allowed).toBe(false);
    expect(a.decide(app, encrypt({ tenant: 'acme', more: 'x' })).allowed).toBe(false);
    expect(a.decide(app, encrypt()).allowed).toBe(false);
    expect(a.decide(app, { action: 'kms:DescribeKey', keyId: KEY }).allowed).toBe(true);
  });
});

describe('key policies in decisions', () => {
  const allowApp: KeyPolicy = {
    statements: [
      {
        sid: 'app',
        effect: 'allow',
        principals: [{ type: 'principal', id: 'user/app' }],
        actions: ['kms:Encrypt'],
        conditions: [],
      },
    ],
  };

  it('allow the principals they name; without the account, own allows stop counting', async () => {
    const a = await authorizer([], allowApp);
    expect(a.decide(app, encrypt())).toEqual({ allowed: true, statement: 'key-policy#app' });
    const b = await authorizer([], { statements: [] }, 'allow');
    expect(b.decide(app, encrypt())).toEqual({ allowed: false, statement: 'default-deny' });
  });

  it('let own policies decide when they allow the account', async () => {
    const delegating: KeyPolicy = {
      statements: [
        { effect: 'allow', principals: [{ type: 'account' }], actions: ['kms:*'], conditions: [] },
      ],
    };
    expect((await authorizer([], delegating, 'allow')).decide(app, encrypt())).toEqual({
      allowed: true,
      statement: 'own#s',
    });
    expect((await authorizer([], delegating)).decide(app, encrypt()).allowed).toBe(false);
  });

  it('deny the principal, any principal, or the account, over every allow and grant; root is never bound', async () => {
    for (const named of [
      { type: 'principal' as const, id: 'user/app' },
      { type: 'any' as const },
      { type: 'account' as const },
    ]) {
      const a = await authorizer(
        [grant()],
        {
          statements: [
            ...allowApp.statements,
            {
              sid: 'no',
              effect: 'deny',
              principals: [named],
              actions: ['kms:Enc*'],
              conditions: [],
            },
          ],
        },
        'allow',
      );
      expect(a.decide(app, encrypt())).toEqual({ allowed: false, statement: 'key-policy#no' });
      expect(a.decide({ id: 'root', kind: 'root', policies: [] }, encrypt()).allowed).toBe(true);
    }
  });

  it('hold conditions on the encryption context (equals, like with * and ?, any of several values)', async () => {
    const a = await authorizer([], {
      statements: [
        {
          effect: 'allow',
          principals: [{ type: 'any' }],
          actions: ['kms:Encrypt'],
          conditions: [
            { key: 'tenant', match: 'equals', values: ['a*', 'b'] },
            { key: 'app', match: 'like', values: ['x?-*'] },
          ],
        },
      ],
    });
    expect(a.decide(stranger, encrypt({ tenant: 'a*', app: 'x1-y' })).allowed).toBe(true);
    expect(a.decide(stranger, encrypt({ tenant: 'b', app: 'x1-' })).allowed).toBe(true);
    expect(a.decide(stranger, encrypt({ tenant: 'ab', app: 'x1-y' })).allowed).toBe(false);
    expect(a.decide(stranger, encrypt({ tenant: 'b', app: 'x12-y' })).allowed).toBe(false);
    expect(a.decide(stranger, encrypt({ tenant: 'b' })).allowed).toBe(false);
    expect(a.decide(stranger, encrypt()).allowed).toBe(false);
    expect(
      a.decide(
        { id: 'anonymous', kind: 'anonymous', policies: [] },
        encrypt({ tenant: 'b', app: 'x1-' }),
      ).allowed,
    ).toBe(false);
  });

  it('a stored policy that no longer parses denies everyone but root', async () => {
    const a = await authorizer([grant()], { statements: [{ effect: 'perhaps' }] }, 'allow');
    expect(a.decide(app, encrypt())).toEqual({ allowed: false, statement: 'key-policy#invalid' });
  });
});

describe('loading', () => {
  it('a full load that started before a key’s reload does not undo it', async () => {
    const a = new PolicyAuthorizer();
    let release: () => void = () => undefined;
    const slow: KeyAccessSource = {
      ...source([]),
      listKeyPolicies: () =>
        new Promise((resolve) => {
          release = () => {
            resolve({ items: [], nextCursor: null });
          };
        }),
    };
    const full = a.refreshKeyAccess(slow);
    await a.refreshKeyAccess(source([grant()]), KEY);
    release();
    await full;
    expect(a.decide(app, encrypt()).allowed).toBe(true);
    await a.refreshKeyAccess(source([]), KEY);
    expect(a.decide(app, encrypt()).allowed).toBe(false);
  });
});
