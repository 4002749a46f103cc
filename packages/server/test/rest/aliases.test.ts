import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApi, problemCode, type RestHarness } from './rest-harness.js';

let api: RestHarness;
beforeAll(async () => {
  api = await makeApi();
});
afterAll(async () => {
  await api.close();
});

async function newKey(): Promise<string> {
  return String((await api.call('POST', '/keys', {})).body.keyId);
}

describe('alias routes', () => {
  it('create (204), list, update (204), delete (204)', async () => {
    const first = await newKey();
    const second = await newKey();
    const created = await api.call('POST', '/aliases', { alias: 'alias/app', keyId: first });
    expect(created.status).toBe(204);
    expect(created.raw.body).toBe('');
    const listed = await api.call('GET', `/aliases?keyId=${first}`);
    expect(listed.body.aliases).toEqual([
      expect.objectContaining({ name: 'alias/app', keyId: first }),
    ]);
    expect((await api.call('PUT', '/aliases/alias%2Fapp', { keyId: second })).status).toBe(204);
    expect((await api.call('GET', '/keys/alias%2Fapp')).body.keyId).toBe(second);
    expect((await api.call('DELETE', '/aliases/alias%2Fapp')).status).toBe(204);
    expect(problemCode(await api.call('GET', '/keys/alias%2Fapp'))).toBe('NOT_FOUND');
  });

  it('a taken alias is 409 ALREADY_EXISTS; a malformed one INVALID_INPUT', async () => {
    const keyId = await newKey();
    await api.call('POST', '/aliases', { alias: 'alias/taken', keyId });
    const taken = await api.call('POST', '/aliases', { alias: 'alias/taken', keyId });
    expect(taken.status).toBe(409);
    expect(problemCode(taken)).toBe('ALREADY_EXISTS');
    const malformed = await api.call('POST', '/aliases', { alias: 'no-prefix', keyId });
    expect(problemCode(malformed)).toBe('INVALID_INPUT');
    const missing = await api.call('POST', '/aliases', { alias: 'alias/x' });
    expect(missing.body).toMatchObject({ code: 'INVALID_INPUT', field: 'body.keyId' });
  });

  it('deleting an unknown alias is 404 NOT_FOUND', async () => {
    expect(problemCode(await api.call('DELETE', '/aliases/alias%2Fghost'))).toBe('NOT_FOUND');
  });
});
