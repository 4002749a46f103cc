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

describe('key lifecycle routes', () => {
  it('disable, then encrypt is 409 KEY_DISABLED; enable restores it', async () => {
    const keyId = await newKey();
    expect((await api.call('POST', `/keys/${keyId}/disable`)).body.state).toBe('Disabled');
    const refused = await api.call('POST', `/keys/${keyId}/encrypt`, { plaintext: 'aGk=' });
    expect(refused.status).toBe(409);
    expect(problemCode(refused)).toBe('KEY_DISABLED');
    expect((await api.call('POST', `/keys/${keyId}/enable`)).body.state).toBe('Enabled');
    expect((await api.call('POST', `/keys/${keyId}/encrypt`, { plaintext: 'aGk=' })).status).toBe(
      200,
    );
  });

  it('accepts an empty JSON object as the body of a body-less action, refuses anything else', async () => {
    const keyId = await newKey();
    expect((await api.call('POST', `/keys/${keyId}/disable`, {})).status).toBe(200);
    const refused = await api.call('POST', `/keys/${keyId}/enable`, { force: true });
    expect(refused.body).toMatchObject({ code: 'INVALID_INPUT', field: 'body' });
  });

  it('rotates: a second version becomes primary', async () => {
    const keyId = await newKey();
    const res = await api.call('POST', `/keys/${keyId}/rotate`);
    expect(res.body).toMatchObject({ primaryVersion: 2 });
    expect(res.body.versions).toHaveLength(2);
  });

  it('schedules deletion with a window (date 7–30 days out) and cancels it', async () => {
    const keyId = await newKey();
    const scheduled = await api.call('POST', `/keys/${keyId}/schedule-deletion`, {
      pendingWindowDays: 7,
    });
    expect(scheduled.body.state).toBe('PendingDeletion');
    const days =
      (Date.parse(String(scheduled.body.deletionDate)) - api.h.clock.now().getTime()) / 86_400_000;
    expect(days).toBe(7);
    const pending = await api.call('POST', `/keys/${keyId}/encrypt`, { plaintext: 'aGk=' });
    expect(problemCode(pending)).toBe('KEY_PENDING_DELETION');
    const twice = await api.call('POST', `/keys/${keyId}/schedule-deletion`);
    expect(twice.status).toBe(409);
    expect(problemCode(twice)).toBe('INVALID_STATE');
    const cancelled = await api.call('POST', `/keys/${keyId}/cancel-deletion`);
    expect(cancelled.body).toMatchObject({ state: 'Disabled', deletionDate: null });
  });

  it('schedule-deletion without a body uses the default window', async () => {
    const keyId = await newKey();
    const res = await api.call('POST', `/keys/${keyId}/schedule-deletion`);
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('PendingDeletion');
  });

  it('PUT /keys/{key}/versions/{version} changes a version state', async () => {
    const keyId = await newKey();
    await api.call('POST', `/keys/${keyId}/rotate`);
    const res = await api.call('PUT', `/keys/${keyId}/versions/1`, { state: 'Disabled' });
    expect(res.status).toBe(200);
    const versions = res.body.versions as { version: number; state: string }[];
    expect(versions.find((v) => v.version === 1)?.state).toBe('Disabled');
    const primary = await api.call('PUT', `/keys/${keyId}/versions/2`, { state: 'Disabled' });
    expect(problemCode(primary)).toBe('INVALID_STATE');
    const destroyed = await api.call('PUT', `/keys/${keyId}/versions/1`, { state: 'Destroyed' });
    expect(destroyed.body).toMatchObject({ code: 'INVALID_INPUT', field: 'body.state' });
    const badVersion = await api.call('PUT', `/keys/${keyId}/versions/zero`, { state: 'Enabled' });
    expect(badVersion.body).toMatchObject({ code: 'INVALID_INPUT', field: 'params.version' });
    const missing = await api.call('PUT', `/keys/${keyId}/versions/9`, { state: 'Enabled' });
    expect(problemCode(missing)).toBe('NOT_FOUND');
  });

  it('actions on an unknown key are 404 NOT_FOUND', async () => {
    const res = await api.call('POST', '/keys/alias%2Fnobody/rotate');
    expect(res.status).toBe(404);
    expect(problemCode(res)).toBe('NOT_FOUND');
  });
});
