import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contextValueMac } from '../../src/audit/chain.js';
import { verifyStoredLog } from '../../src/audit/read.js';
import type { Principal } from '../../src/core/principal.js';
import {
  createKey,
  decrypt,
  encrypt,
  generateDataKey,
  listKeys,
  reEncrypt,
  runDueWork,
  sealKms,
  setKeyRotation,
} from '../../src/service/index.js';
import { createPrincipal } from '../../src/service/identity/index.js';
import { errorCode } from '../support/kms-harness.js';
import { makeAuditedKms, type AuditHarness } from './audit-harness.js';

const alice: Principal = { id: 'user/alice', kind: 'user', policies: [] };
let h: AuditHarness;

beforeEach(async () => {
  h = await makeAuditedKms();
});

afterEach(async () => {
  await h.close();
});

describe('one audit record per call', () => {
  it('records a successful encrypt with its key, version, statement and hashed context', async () => {
    const { keyId } = await createKey(h.ctx, {});
    const out = await encrypt(h.ctx, {
      keyId,
      plaintext: Buffer.from('the plaintext'),
      encryptionContext: { tenant: 'acme' },
    });
    const records = await h.records();
    expect(records.map((r) => r.operation)).toEqual(['createKey', 'encrypt']);
    const record = records[1]!;
    expect(record).toMatchObject({
      seq: 2,
      requestId: 'req-1',
      door: 'rest',
      principal: 'root',
      sourceAddress: '192.0.2.7',
      keyId,
      keyVersion: out.keyVersion,
      outcome: 'success',
      errorCode: null,
      statement: 'root',
      contextValues: 'hmac-sha256',
      prevHash: records[0]!.hash,
      time: '2026-01-01T00:00:00.000Z',
    });
    expect(record.decisions).toEqual([
      {
        action: 'kms:Encrypt',
        keyId,
        resource: null,
        allowed: true,
        statement: 'root',
        context: { tenant: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown },
      },
    ]);
    expect(record.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('hashes context values with the deployment key, so an auditor with the key can test a guess', async () => {
    const { keyId } = await createKey(h.ctx, {});
    await encrypt(h.ctx, {
      keyId,
      plaintext: Buffer.from('x'),
      encryptionContext: { tenant: 'acme' },
    });
    const [, record] = await h.records();
    const blobs = await h.store.getMeta('audit-hmac-key');
    const key = h.keyring.unwrapSecret('audit-hmac-key', blobs!);
    try {
      expect(record!.decisions[0]!.context).toEqual({
        tenant: contextValueMac(key.bytes, 'tenant', 'acme'),
      });
    } finally {
      key.zero();
    }
  });

  it('records a denial with the statement that denied it', async () => {
    const { keyId } = await createKey(h.ctx, {});
    const ctx = { ...h.ctx, principal: alice, requestId: 'req-2' };
    expect(await errorCode(encrypt(ctx, { keyId, plaintext: Buffer.from('x') }))).toBe(
      'ACCESS_DENIED',
    );
    const record = (await h.records()).at(-1)!;
    expect(record).toMatchObject({
      operation: 'encrypt',
      principal: 'user/alice',
      keyId,
      outcome: 'denied',
      errorCode: 'ACCESS_DENIED',
      statement: 'default-deny',
    });
  });

  it('records a missing key as given, with the decision on what was named', async () => {
    expect(
      await errorCode(encrypt(h.ctx, { keyId: 'alias/missing', plaintext: Buffer.from('x') })),
    ).toBe('NOT_FOUND');
    expect((await h.records()).at(-1)).toMatchObject({
      operation: 'encrypt',
      keyId: 'alias/missing',
      outcome: 'failure',
      errorCode: 'NOT_FOUND',
      statement: 'root',
      decisions: [{ action: 'kms:Encrypt', keyId: null, resource: 'alias/missing', allowed: true }],
    });
  });

  it('records a failure before any decision', async () => {
    expect(
      await errorCode(encrypt(h.ctx, { keyId: 'alias/missing', plaintext: Buffer.alloc(0) })),
    ).toBe('INVALID_INPUT');
    expect((await h.records()).at(-1)).toMatchObject({
      operation: 'encrypt',
      outcome: 'failure',
      errorCode: 'INVALID_INPUT',
      statement: null,
      decisions: [],
    });
  });

  it('records a call that made other calls once, with every decision it took', async () => {
    const a = await createKey(h.ctx, {});
    const b = await createKey(h.ctx, {});
    const { ciphertext } = await encrypt(h.ctx, { keyId: a.keyId, plaintext: Buffer.from('x') });
    await reEncrypt(h.ctx, { ciphertext, destinationKeyId: b.keyId });
    const records = await h.records();
    expect(records).toHaveLength(4);
    expect(records[3]).toMatchObject({ operation: 'reEncrypt', keyId: b.keyId });
    expect(records[3]!.decisions.map((d) => [d.action, d.keyId])).toEqual([
      ['kms:ReEncryptTo', b.keyId],
      ['kms:ReEncryptFrom', a.keyId],
    ]);
  });

  it('records identity administration with the resource it acted on', async () => {
    await createPrincipal(h.ctx, { id: 'user/bob' });
    expect((await h.records()).at(-1)).toMatchObject({
      operation: 'createPrincipal',
      outcome: 'success',
      decisions: [{ action: 'custos:CreatePrincipal', resource: 'principal/user/bob' }],
    });
  });

  it('records scheduled work as the scheduler door', async () => {
    const { keyId } = await createKey(h.ctx, {});
    await setKeyRotation(h.ctx, { keyId, rotationPeriodDays: 90 });
    h.clock.advance(91 * 86_400_000);
    expect((await runDueWork(h.kms)).rotated).toBe(1);
    expect((await h.records()).at(-1)).toMatchObject({
      operation: 'rotateKey',
      door: 'scheduler',
      requestId: 'scheduler',
      keyId,
      outcome: 'success',
    });
  });

  it('records requests refused while sealed', async () => {
    const { keyId } = await createKey(h.ctx, {});
    sealKms(h.kms);
    expect(
      await errorCode(
        encrypt(h.ctx, { keyId, plaintext: Buffer.from('x'), encryptionContext: { a: 'b' } }),
      ),
    ).toBe('SEALED');
    expect((await h.records()).at(-1)).toMatchObject({ operation: 'encrypt', errorCode: 'SEALED' });
  });

  it('never writes plaintext, context values, data keys or ciphertexts', async () => {
    const { keyId } = await createKey(h.ctx, {});
    const secret = 'correct horse battery staple';
    const out = await encrypt(h.ctx, {
      keyId,
      plaintext: Buffer.from(secret),
      encryptionContext: { purpose: 'very-private-context-value' },
    });
    const back = await decrypt(h.ctx, {
      ciphertext: out.ciphertext,
      encryptionContext: { purpose: 'very-private-context-value' },
    });
    const dataKey = await generateDataKey(h.ctx, {
      keyId,
      keySpec: 'AES_256',
      withPlaintext: true,
    });
    const dump = JSON.stringify(await h.records());
    expect(dump).not.toContain(secret);
    expect(dump).not.toContain('very-private-context-value');
    expect(dump).not.toContain(out.ciphertext.toString('base64'));
    expect(dump).not.toContain(dataKey.plaintext!.bytes.toString('base64'));
    expect(dump).not.toContain(dataKey.plaintext!.bytes.toString('hex'));
    back.plaintext.zero();
    dataKey.plaintext!.zero();
  });

  it('keeps the chain verifiable, with a checkpoint on close', async () => {
    const { keyId } = await createKey(h.ctx, {});
    for (let i = 0; i < 5; i += 1) await encrypt(h.ctx, { keyId, plaintext: Buffer.from('x') });
    await listKeys(h.ctx, {});
    await h.log.close();
    expect(await verifyStoredLog(h.store)).toEqual({
      ok: true,
      verifiedThrough: 7,
      firstBadSeq: null,
      reason: null,
      unverifiedTail: null,
    });
  });
});
