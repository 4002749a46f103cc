import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type AppHarness } from '../observability/app-harness.js';

let h: AppHarness;
let keyId: string;

interface RecordJson {
  seq: number;
  operation: string;
  door: string;
  principal: string;
  requestId: string;
  outcome: string;
  keyId: string | null;
  errorCode: string | null;
}

beforeAll(async () => {
  h = await startTestApp();
  const created = await h.call('POST', '/api/v1/keys', { body: {} });
  keyId = created.body.keyId as string;
  for (let i = 0; i < 4; i += 1) {
    const out = await h.call('POST', `/api/v1/keys/${keyId}/encrypt`, {
      body: {
        plaintext: Buffer.from('hello').toString('base64'),
        encryptionContext: { n: `${i}` },
      },
    });
    expect(out.status).toBe(200);
  }
  const anonymous = await h.call('POST', `/api/v1/keys/${keyId}/encrypt`, {
    body: { plaintext: Buffer.from('hello').toString('base64') },
    token: null,
  });
  expect(anonymous.status).toBe(403);
});

afterAll(async () => {
  await h.close();
});

async function list(query: string): Promise<{ records: RecordJson[]; nextCursor: string | null }> {
  const out = await h.call('GET', `/api/v1/audit${query}`);
  expect(out.status, JSON.stringify(out.body)).toBe(200);
  return out.body as unknown as { records: RecordJson[]; nextCursor: string | null };
}

describe('GET /api/v1/audit', () => {
  it('answers newest first with the REST door, principal and request id of each request', async () => {
    const { records } = await list(`?keyId=${keyId}&operation=encrypt`);
    expect(records).toHaveLength(5);
    expect(records[0]).toMatchObject({
      operation: 'encrypt',
      door: 'rest',
      principal: 'anonymous',
      outcome: 'denied',
      errorCode: 'ACCESS_DENIED',
    });
    expect(records.slice(1).every((r) => r.principal === 'root' && r.outcome === 'success')).toBe(
      true,
    );
    expect(new Set(records.map((r) => r.requestId)).size).toBe(5);
  });

  it('filters by outcome and time, and pages with a cursor', async () => {
    expect((await list('?outcome=denied')).records.map((r) => r.operation)).toContain('encrypt');
    const first = await list('?operation=encrypt&limit=2');
    expect(first.records).toHaveLength(2);
    const second = await list(`?operation=encrypt&limit=2&cursor=${first.nextCursor!}`);
    expect(second.records[0]!.seq).toBeLessThan(first.records[1]!.seq);
    expect((await list('?from=2999-01-01T00:00:00Z')).records).toEqual([]);
  });

  it('follows the log oldest first after a seq', async () => {
    const { records } = await list('?afterSeq=0&limit=3');
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3]);
  });

  it('records its own reads, and refuses callers without custos:ReadAudit', async () => {
    const denied = await h.call('GET', '/api/v1/audit', { token: null });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('ACCESS_DENIED');
    const { records } = await list('?operation=listAuditRecords&outcome=denied');
    expect(records[0]).toMatchObject({ principal: 'anonymous', errorCode: 'ACCESS_DENIED' });
  });

  it('records a credential that did not authenticate', async () => {
    const out = await h.call('GET', `/api/v1/keys/${keyId}`, { token: 'cst_not-a-real-token' });
    expect(out.status).toBe(401);
    const { records } = await list('?operation=authenticate');
    expect(records[0]).toMatchObject({
      principal: 'anonymous',
      outcome: 'denied',
      errorCode: 'UNAUTHENTICATED',
      door: 'rest',
    });
  });

  it('refuses a malformed filter as INVALID_INPUT', async () => {
    const out = await h.call('GET', '/api/v1/audit?outcome=maybe');
    expect(out.status).toBe(400);
    expect(out.body.code).toBe('INVALID_INPUT');
  });
});

describe('GET /api/v1/audit/public-key', () => {
  it('returns the Ed25519 checkpoint key as base64 DER and PEM', async () => {
    const out = await h.call('GET', '/api/v1/audit/public-key');
    expect(out.status).toBe(200);
    expect(out.body.pem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(Buffer.from(out.body.publicKey as string, 'base64')).toHaveLength(44);
    expect(out.body.keyId).toMatch(/^[0-9a-f]{32}$/);
  });
});
