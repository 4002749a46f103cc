import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApi, problemCode, type RestHarness } from './rest-harness.js';

let api: RestHarness;
beforeAll(async () => {
  api = await makeApi();
});
afterAll(async () => {
  await api.close();
});

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

async function newKey(body: Record<string, unknown> = {}): Promise<string> {
  const res = await api.call('POST', '/keys', body);
  expect(res.status).toBe(201);
  return String(res.body.keyId);
}

describe('POST /keys and GET /keys/{key}', () => {
  it('creates a key (201) and describes it with ISO dates', async () => {
    const res = await api.call('POST', '/keys', {
      spec: 'AES_256',
      description: 'orders',
      tags: { team: 'a' },
      alias: 'alias/orders',
    });
    expect(res.status).toBe(201);
    expect(res.raw.headers['api-version']).toBe('1');
    expect(res.body).toMatchObject({
      spec: 'AES_256',
      state: 'Enabled',
      aliases: ['alias/orders'],
    });
    expect(res.body.createdAt).toMatch(ISO);
    const got = await api.call('GET', `/keys/${String(res.body.keyId)}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
  });

  it('finds a key by its URL-encoded alias', async () => {
    const keyId = await newKey({ alias: 'alias/by-name' });
    const res = await api.call('GET', '/keys/alias%2Fby-name');
    expect(res.body.keyId).toBe(keyId);
  });

  it('answers an unknown key with 404 problem+json NOT_FOUND', async () => {
    const res = await api.call('GET', '/keys/00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(404);
    expect(problemCode(res)).toBe('NOT_FOUND');
    expect(res.body).toMatchObject({
      type: 'https://custos.dev/errors/NOT_FOUND',
      status: 404,
      requestId: expect.any(String) as unknown,
    });
    expect(res.raw.headers['api-version']).toBe('1');
  });

  it('refuses wrong types, unknown enum values and unknown fields with the field path', async () => {
    const wrongType = await api.call('POST', '/keys', { exportable: 'yes' });
    expect(problemCode(wrongType)).toBe('INVALID_INPUT');
    expect(wrongType.body.field).toBe('body.exportable');
    const badSpec = await api.call('POST', '/keys', { spec: 'AES_512' });
    expect(badSpec.body.field).toBe('body.spec');
    const unknown = await api.call('POST', '/keys', { spec: 'AES_256', colour: 'blue' });
    expect(problemCode(unknown)).toBe('INVALID_INPUT');
    expect(String(unknown.body.detail)).toContain('colour');
  });

  it('service-level refusals keep their codes (usage not valid for the spec)', async () => {
    const res = await api.call('POST', '/keys', { spec: 'AES_256', usage: 'SIGN_VERIFY' });
    expect(res.status).toBe(400);
    expect(problemCode(res)).toBe('INVALID_INPUT');
  });
});

describe('GET /keys', () => {
  it('pages with limit and cursor and filters by tag', async () => {
    for (let i = 0; i < 3; i++) await newKey({ tags: { list: 'yes' } });
    const first = await api.call('GET', '/keys?tagKey=list&limit=2');
    expect(first.status).toBe(200);
    expect(first.body.keys).toHaveLength(2);
    const cursor = String(first.body.nextCursor);
    const second = await api.call(
      'GET',
      `/keys?tagKey=list&limit=2&cursor=${encodeURIComponent(cursor)}`,
    );
    expect(second.body.keys).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
  });

  it('refuses a non-numeric limit and unknown query parameters', async () => {
    const res = await api.call('GET', '/keys?limit=many');
    expect(res.body).toMatchObject({ code: 'INVALID_INPUT', field: 'query.limit' });
    expect(problemCode(await api.call('GET', '/keys?colour=blue'))).toBe('INVALID_INPUT');
  });
});

describe('PATCH /keys/{key} and GET /keys/{key}/usage', () => {
  it('updates description, tags and rotation period', async () => {
    const keyId = await newKey({ tags: { a: '1', b: '2' } });
    const res = await api.call('PATCH', `/keys/${keyId}`, {
      description: 'new',
      tags: { set: { c: '3' }, remove: ['a'] },
      rotationPeriodDays: 90,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      description: 'new',
      tags: { b: '2', c: '3' },
      rotationPeriodDays: 90,
    });
    expect(res.body.nextRotationAt).toMatch(ISO);
    const cleared = await api.call('PATCH', `/keys/${keyId}`, { rotationPeriodDays: null });
    expect(cleared.body.rotationPeriodDays).toBeNull();
  });

  it('an empty patch describes the key; a bad period is INVALID_INPUT', async () => {
    const keyId = await newKey();
    expect((await api.call('PATCH', `/keys/${keyId}`, {})).body.keyId).toBe(keyId);
    const bad = await api.call('PATCH', `/keys/${keyId}`, { rotationPeriodDays: 5000 });
    expect(problemCode(bad)).toBe('INVALID_INPUT');
  });

  it('reports per-operation usage', async () => {
    const keyId = await newKey();
    await api.call('POST', `/keys/${keyId}/encrypt`, { plaintext: 'aGk=' });
    const res = await api.call('GET', `/keys/${keyId}/usage`);
    expect(res.status).toBe(200);
    expect(res.body.operations).toMatchObject({ encrypt: 1 });
    expect(res.body.lastUsedAt).toMatch(ISO);
  });
});
