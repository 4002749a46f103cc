import { describe, expect, it } from 'vitest';
import { PolicyAuthorizer } from '../../src/authz/policy-authorizer.js';
import type { PolicySource } from '../../src/core/access.js';
import type { PolicyDocument, PolicyRecord } from '../../src/core/identity.js';
import { ROOT_PRINCIPAL, type Principal } from '../../src/core/principal.js';

const KEY = '1234abcd-12ab-34cd-56ef-1234567890ab';

function record(name: string, document: unknown): PolicyRecord {
  return { name, document: document as PolicyDocument, updatedAt: new Date(0), rowVersion: 1 };
}

/** A source paging through `records` `size` at a time, optionally waiting before answering. */
function source(records: PolicyRecord[], size = 2, gate?: Promise<void>): PolicySource {
  return {
    async listPolicies({ cursor, limit }) {
      if (gate !== undefined) await gate;
      const start = cursor === undefined ? 0 : Number(cursor);
      const n = Math.min(size, limit);
      const items = records.slice(start, start + n);
      return { items, nextCursor: start + n < records.length ? String(start + n) : null };
    },
  };
}

const encryptOnly = {
  version: '2026-11-01',
  statements: [{ sid: 'enc', effect: 'allow', actions: ['kms:Encrypt'], resources: ['*'] }],
};
const user = (policies: string[]): Principal => ({ id: 'user/alice', kind: 'user', policies });

describe('PolicyAuthorizer', () => {
  it('allows the root principal everything without policies', () => {
    const authz = new PolicyAuthorizer();
    expect(
      authz.decide(ROOT_PRINCIPAL, { action: 'custos:PutPolicy', resource: 'policy/x' }),
    ).toEqual({
      allowed: true,
      statement: 'root',
    });
  });

  it('denies by default before any policy is loaded', () => {
    const authz = new PolicyAuthorizer();
    expect(authz.decide(user(['app']), { action: 'kms:Encrypt', keyId: KEY })).toEqual({
      allowed: false,
      statement: 'default-deny',
    });
  });

  it('decides by the attached policies only, after a refresh over several pages', async () => {
    const authz = new PolicyAuthorizer();
    const records = ['a', 'b', 'c', 'd', 'e'].map((n) =>
      record(n, { version: '2026-11-01', statements: [] }),
    );
    records.push(record('app', encryptOnly));
    await authz.refresh(source(records));
    expect(authz.cache.size).toBe(6);
    expect(authz.decide(user(['app']), { action: 'kms:Encrypt', keyId: KEY })).toEqual({
      allowed: true,
      statement: 'app#enc',
    });
    expect(authz.decide(user(['a']), { action: 'kms:Encrypt', keyId: KEY }).allowed).toBe(false);
    expect(authz.decide(user([]), { action: 'kms:Encrypt', keyId: KEY }).allowed).toBe(false);
    expect(
      authz.decide(user(['missing', 'app']), { action: 'kms:Encrypt', keyId: KEY }).allowed,
    ).toBe(true);
  });

  it('forgets a deleted policy on the next refresh', async () => {
    const authz = new PolicyAuthorizer();
    await authz.refresh(source([record('app', encryptOnly)]));
    await authz.refresh(source([]));
    expect(authz.decide(user(['app']), { action: 'kms:Encrypt', keyId: KEY }).allowed).toBe(false);
  });

  it('skips a stored document that no longer validates, and names it', async () => {
    const authz = new PolicyAuthorizer();
    await authz.refresh(
      source([record('broken', { version: 'x', statements: 'all' }), record('app', encryptOnly)]),
    );
    expect(authz.invalid).toEqual(['broken']);
    expect(authz.cache.get('broken')).toBeUndefined();
    expect(authz.decide(user(['app']), { action: 'kms:Encrypt', keyId: KEY }).allowed).toBe(true);
  });

  it('drops a slow refresh that started before a newer one applied', async () => {
    const authz = new PolicyAuthorizer();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const stale = authz.refresh(source([record('app', encryptOnly)], 2, gate));
    await authz.refresh(source([]));
    open();
    await stale;
    expect(authz.cache.size).toBe(0);
  });

  it('tells whether a principal needs replay protection', async () => {
    const authz = new PolicyAuthorizer();
    await authz.refresh(
      source([
        record('app', encryptOnly),
        record('strict', {
          version: '2026-11-01',
          statements: [
            {
              effect: 'allow',
              actions: ['kms:Decrypt'],
              resources: ['*'],
              conditions: { requireReplayProtection: true },
            },
          ],
        }),
      ]),
    );
    expect(authz.requiresReplayProtection(user(['app']))).toBe(false);
    expect(authz.requiresReplayProtection(user(['app', 'strict']))).toBe(true);
    expect(authz.requiresReplayProtection(ROOT_PRINCIPAL)).toBe(false);
    expect(authz.decide(user(['strict']), { action: 'kms:Decrypt', keyId: KEY }).allowed).toBe(
      false,
    );
    expect(
      authz.decide(user(['strict']), { action: 'kms:Decrypt', keyId: KEY, replayProtected: true })
        .allowed,
    ).toBe(true);
  });
});
