/**
 * PATCH /api/v1/principals/{id}: kind, policies and the disabled flag, policy
 * checked (custos:UpdatePrincipal, custos:AttachPolicy for gained policies),
 * audited, effective at once. Real server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppHarness, startTestApp } from '../observability/app-harness.js';

let h: AppHarness;
let keyId: string;
let adminToken: string;

const doc = (statements: object[]) => ({ version: '2026-11-01', statements });

async function ok(method: string, path: string, body?: unknown, token?: string) {
  const res = await h.call(method, path, {
    ...(body !== undefined && { body }),
    ...(token !== undefined && { token }),
  });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res.body;
}

const principalPath = (id: string) => `/api/v1/principals/${encodeURIComponent(id)}`;

async function tokenFor(id: string): Promise<string> {
  return String((await ok('POST', '/api/v1/tokens', { principal: id })).token);
}

async function encryptAs(token: string): Promise<number> {
  const res = await h.call('POST', `/api/v1/keys/${keyId}/encrypt`, {
    token,
    body: { plaintext: Buffer.from('x').toString('base64') },
  });
  return res.status;
}

beforeAll(async () => {
  h = await startTestApp({ logging: { level: 'silent' } });
  keyId = String((await ok('POST', '/api/v1/keys', {})).keyId);
  await ok(
    'PUT',
    '/api/v1/policies/encrypt',
    doc([{ effect: 'allow', actions: ['kms:Encrypt'], resources: ['*'] }]),
  );
  await ok(
    'PUT',
    '/api/v1/policies/other',
    doc([{ effect: 'allow', actions: ['kms:DescribeKey'], resources: ['*'] }]),
  );
  // Manages team-a's principals; may hand out only `encrypt`.
  await ok(
    'PUT',
    '/api/v1/policies/team-admin',
    doc([
      {
        effect: 'allow',
        actions: ['custos:UpdatePrincipal', 'custos:DescribePrincipal'],
        resources: ['principal/user/team-a-*'],
      },
      { effect: 'allow', actions: ['custos:AttachPolicy'], resources: ['policy/encrypt'] },
    ]),
  );
  await ok('POST', '/api/v1/principals', { id: 'user/team-admin', policies: ['team-admin'] });
  adminToken = await tokenFor('user/team-admin');
}, 30_000);
afterAll(async () => {
  await h.close();
});

describe('PATCH /principals/{id}', () => {
  it('changes kind and policies; the principal acts with them at once', async () => {
    await ok('POST', '/api/v1/principals', { id: 'user/app' });
    const token = await tokenFor('user/app');
    expect(await encryptAs(token)).toBe(403);
    const updated = await ok('PATCH', principalPath('user/app'), {
      kind: 'service',
      policies: ['encrypt', 'encrypt'],
    });
    expect(updated).toMatchObject({ id: 'user/app', kind: 'service', policies: ['encrypt'] });
    expect(await ok('GET', principalPath('user/app'))).toMatchObject(updated);
    expect(await encryptAs(token)).toBe(200);
    await ok('PATCH', principalPath('user/app'), { policies: [] });
    expect(await encryptAs(token)).toBe(403);
  });

  it('disabling stops its tokens at once; enabling lets them in again', async () => {
    await ok('POST', '/api/v1/principals', { id: 'user/off', policies: ['encrypt'] });
    const token = await tokenFor('user/off');
    expect(await encryptAs(token)).toBe(200);
    expect(await ok('PATCH', principalPath('user/off'), { disabled: true })).toMatchObject({
      disabled: true,
    });
    const refused = await h.call('GET', '/api/v1/tokens/self', { token });
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('UNAUTHENTICATED');
    await ok('PATCH', principalPath('user/off'), { disabled: false });
    expect(await encryptAs(token)).toBe(200);
  });

  it('is policy-checked: UpdatePrincipal on the principal, AttachPolicy for each gained', async () => {
    await ok('POST', '/api/v1/principals', { id: 'user/team-a-1', policies: ['other'] });
    await ok('POST', '/api/v1/principals', { id: 'user/team-b-1' });
    const as = (id: string, body: unknown) =>
      h.call('PATCH', principalPath(id), { token: adminToken, body });

    // Dropping a held policy and gaining an allowed one.
    expect((await as('user/team-a-1', { policies: ['encrypt'] })).status).toBe(200);
    // Keeping `encrypt` (held) needs no AttachPolicy; gaining `other` does.
    const gain = await as('user/team-a-1', { policies: ['encrypt', 'other'] });
    expect(gain.status).toBe(403);
    expect(gain.body.code).toBe('ACCESS_DENIED');
    expect((await as('user/team-a-1', { disabled: true })).status).toBe(200);
    expect((await as('user/team-b-1', { disabled: true })).status).toBe(403);
    expect(await ok('GET', principalPath('user/team-b-1'))).toMatchObject({ disabled: false });
    expect(await ok('GET', principalPath('user/team-a-1'))).toMatchObject({
      policies: ['encrypt'],
      disabled: true,
    });
    // Authorized on the name first: a missing principal is 404 only where allowed.
    expect((await as('user/team-a-gone', { disabled: true })).status).toBe(404);
    expect((await as('user/team-b-gone', { disabled: true })).status).toBe(403);
  });

  it('leaves one audit record per call with every decision taken', async () => {
    const { records } = (await ok('GET', '/api/v1/audit?operation=updatePrincipal&limit=100')) as {
      records: { principal: string; outcome: string; decisions: { action: string }[] }[];
    };
    const byAdmin = records.filter((r) => r.principal === 'user/team-admin');
    expect(byAdmin.map((r) => r.outcome).sort()).toEqual(
      ['denied', 'denied', 'denied', 'failure', 'success', 'success'].sort(),
    );
    const gained = byAdmin.find((r) => r.decisions.some((d) => d.action === 'custos:AttachPolicy'));
    expect(gained?.decisions.map((d) => d.action)).toContain('custos:UpdatePrincipal');
  });

  it('refuses root, missing policies, and bad input, changing nothing', async () => {
    await ok('POST', '/api/v1/principals', { id: 'user/steady', policies: ['other'] });
    const root = await h.call('PATCH', principalPath('root'), { body: { disabled: true } });
    expect(root.body.code).toBe('INVALID_STATE');
    expect((await h.call('GET', '/api/v1/tokens/self')).status).toBe(200);
    const missing = await h.call('PATCH', principalPath('user/steady'), {
      body: { policies: ['no-such-policy'] },
    });
    expect(missing.body.code).toBe('NOT_FOUND');
    for (const body of [
      {},
      { disabled: 'yes' },
      { kind: 'robot' },
      { policies: 'other' },
      { policies: ['bad name!'] },
      { policies: Array.from({ length: 51 }, (_, i) => `p${String(i)}`) },
      { id: 'user/else' },
      '{"__proto__": {"disabled": true}}',
      'not json',
    ]) {
      const res = await h.call('PATCH', principalPath('user/steady'), { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('INVALID_INPUT');
    }
    expect(await ok('GET', principalPath('user/steady'))).toMatchObject({
      kind: 'user',
      policies: ['other'],
      disabled: false,
    });
    expect(
      (await h.call('PATCH', principalPath('user/nobody'), { body: { disabled: true } })).status,
    ).toBe(404);
  });
});
