/**
 * PATCH /api/v1/keys/{key} changes every setting it names or none: checked
 * whole, written in one transaction, one audit record. Real server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppHarness, startTestApp } from '../observability/app-harness.js';

let h: AppHarness;
let limited: string;

beforeAll(async () => {
  h = await startTestApp({ logging: { level: 'silent' } });
  // May change descriptions and read keys, but not tag them.
  await h.call('PUT', '/api/v1/policies/describer', {
    body: {
      version: '2026-11-01',
      statements: [
        {
          effect: 'allow',
          actions: ['kms:UpdateKeyDescription', 'kms:DescribeKey'],
          resources: ['*'],
        },
      ],
    },
  });
  await h.call('POST', '/api/v1/principals', {
    body: { id: 'user/describer', policies: ['describer'] },
  });
  const token = await h.call('POST', '/api/v1/tokens', { body: { principal: 'user/describer' } });
  limited = String(token.body.token);
}, 30_000);
afterAll(async () => {
  await h.close();
});

async function newKey(body: Record<string, unknown> = {}): Promise<string> {
  const created = await h.call('POST', '/api/v1/keys', {
    body: { description: 'before', tags: { keep: 'yes' }, ...body },
  });
  expect(created.status).toBe(201);
  return String(created.body.keyId);
}

async function patch(keyId: string, body: unknown, token?: string) {
  return h.call('PATCH', `/api/v1/keys/${keyId}`, { body, ...(token !== undefined && { token }) });
}

async function stored(keyId: string) {
  const { body } = await h.call('GET', `/api/v1/keys/${keyId}`);
  const { description, tags, rotationPeriodDays, state } = body;
  return { description, tags, rotationPeriodDays, state };
}

async function recordsOf(keyId: string) {
  const { body } = await h.call('GET', `/api/v1/audit?keyId=${keyId}&operation=updateKeySettings`);
  return body.records as Record<string, unknown>[];
}

const UNCHANGED = {
  description: 'before',
  tags: { keep: 'yes' },
  rotationPeriodDays: null,
  state: 'Enabled',
};

describe('PATCH /keys/{key}: all or nothing', () => {
  it('applies every setting named, in one audit record deciding each', async () => {
    const keyId = await newKey();
    const res = await patch(keyId, {
      description: 'after',
      tags: { set: { added: '1' }, remove: ['keep'] },
      rotationPeriodDays: 30,
      enabled: false,
    });
    expect(res.status).toBe(200);
    expect(await stored(keyId)).toEqual({
      description: 'after',
      tags: { added: '1' },
      rotationPeriodDays: 30,
      state: 'Disabled',
    });
    const records = await recordsOf(keyId);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ outcome: 'success', principal: 'root' });
    const decisions = records[0]?.decisions as { action: string; allowed: boolean }[];
    expect(decisions.map((d) => d.action)).toEqual([
      'kms:UpdateKeyDescription',
      'kms:TagResource',
      'kms:UntagResource',
      'kms:EnableKeyRotation',
      'kms:DisableKey',
    ]);
    expect(decisions.every((d) => d.allowed)).toBe(true);
  });

  it('a bad rotation period after a good description leaves the description unapplied', async () => {
    const keyId = await newKey();
    const res = await patch(keyId, { description: 'after', rotationPeriodDays: 5000 });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_INPUT');
    expect(await stored(keyId)).toEqual(UNCHANGED);
    expect(await recordsOf(keyId)).toMatchObject([{ outcome: 'failure' }]);
  });

  it('too many tags after a good description: LIMIT_EXCEEDED, nothing applied', async () => {
    const keyId = await newKey();
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`t${String(i)}`, 'v']));
    const res = await patch(keyId, { description: 'after', tags: { set: many } });
    expect(res.body.code).toBe('LIMIT_EXCEEDED');
    expect(await stored(keyId)).toEqual(UNCHANGED);
  });

  it('a denied second setting leaves the allowed first unapplied (403)', async () => {
    const keyId = await newKey();
    const res = await patch(keyId, { description: 'after', tags: { set: { x: '1' } } }, limited);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('ACCESS_DENIED');
    expect(await stored(keyId)).toEqual(UNCHANGED);
    expect((await patch(keyId, { description: 'after' }, limited)).status).toBe(200);
    expect((await stored(keyId)).description).toBe('after');
  });

  it('rotation a key with imported material cannot have: UNSUPPORTED, nothing applied', async () => {
    const keyId = await newKey({ origin: 'EXTERNAL' });
    const res = await patch(keyId, { description: 'after', rotationPeriodDays: 90 });
    expect(res.body.code).toBe('UNSUPPORTED');
    expect((await stored(keyId)).description).toBe('before');
  });

  it('a state the key cannot go to: INVALID_STATE, nothing applied', async () => {
    const keyId = await newKey();
    await h.call('POST', `/api/v1/keys/${keyId}/schedule-deletion`, { body: {} });
    const res = await patch(keyId, { tags: { set: { x: '1' } }, enabled: true });
    expect(res.body.code).toBe('INVALID_STATE');
    expect((await stored(keyId)).tags).toEqual({ keep: 'yes' });
  });

  it('asking for the state the key is in changes nothing and writes nothing', async () => {
    const keyId = await newKey();
    const before = await h.call('GET', `/api/v1/keys/${keyId}`);
    // Long enough that a write would move updatedAt.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const res = await patch(keyId, { enabled: true });
    expect(res.status).toBe(200);
    expect(res.body.updatedAt).toMatch(/^\d{4}-/);
    expect(res.body.updatedAt).toBe(before.body.updatedAt);
  });

  it('an empty patch describes; malformed and hostile bodies are INVALID_INPUT', async () => {
    const keyId = await newKey();
    expect((await patch(keyId, {})).body.keyId).toBe(keyId);
    for (const body of [
      { enabled: 'yes' },
      { description: 5 },
      { tags: { set: 'a' } },
      { tags: [] },
      { rotationPeriodDays: '30' },
      { unknown: true },
      { description: 'x'.repeat(8193) },
      '{"__proto__": {"description": "polluted"}}',
      '[1,2]',
    ]) {
      const res = await patch(keyId, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('INVALID_INPUT');
    }
    expect(await stored(keyId)).toEqual(UNCHANGED);
  });

  it('is a batch operation: each item all or nothing, independent of the others', async () => {
    const keyId = await newKey();
    const res = await h.call('POST', '/api/v1/batch', {
      body: {
        operations: [
          {
            operation: 'updateKeySettings',
            input: { keyId, description: 'lost', rotationPeriodDays: 0 },
          },
          { operation: 'updateKeySettings', input: { keyId, tags: { set: { b: '1' } } } },
        ],
      },
    });
    expect(res.status).toBe(200);
    const [first, second] = res.body.results as { status: number }[];
    expect(first?.status).toBe(400);
    expect(second?.status).toBe(200);
    expect(await stored(keyId)).toEqual({ ...UNCHANGED, tags: { keep: 'yes', b: '1' } });
  });

  it('a missing key is NOT_FOUND for root, ACCESS_DENIED for a caller not allowed all', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await patch(missing, { description: 'x' })).status).toBe(404);
    expect((await patch(missing, { description: 'x', enabled: false }, limited)).status).toBe(403);
  });
});
