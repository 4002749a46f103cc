import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKey } from '../../src/service/create-key.js';
import { decrypt } from '../../src/service/decrypt.js';
import { describeKey } from '../../src/service/describe-key.js';
import { encrypt } from '../../src/service/encrypt.js';
import { generateDataKey } from '../../src/service/generate-data-key.js';
import { getKeyUsage } from '../../src/service/get-key-usage.js';
import { type KmsHarness, errorCode, makeKms } from '../support/kms-harness.js';

let h: KmsHarness;
beforeEach(async () => {
  h = await makeKms();
});
afterEach(async () => {
  await h.close();
});

describe('getKeyUsage', () => {
  it('counts authorized operations per key and reports the last use', async () => {
    const key = await createKey(h.ctx, { spec: 'AES_256' });
    const other = await createKey(h.ctx, { spec: 'AES_256' });
    const fresh = await getKeyUsage(h.ctx, { keyId: key.keyId });
    expect(fresh.lastUsedAt).toBeNull();
    // Reading usage is a DescribeKey, counted like any other.
    expect(fresh.operations).toEqual({ describeKey: 1 });

    const plaintext = new Uint8Array([1, 2, 3]);
    const { ciphertext } = await encrypt(h.ctx, { keyId: key.keyId, plaintext });
    await encrypt(h.ctx, { keyId: key.keyId, plaintext });
    h.clock.advance(1000);
    (await decrypt(h.ctx, { ciphertext })).plaintext.zero();
    (
      await generateDataKey(h.ctx, { keyId: key.keyId, keySpec: 'AES_256', withPlaintext: true })
    ).plaintext?.zero();
    await generateDataKey(h.ctx, { keyId: key.keyId, numberOfBytes: 16, withPlaintext: false });
    await describeKey(h.ctx, { keyId: key.keyId });

    const usage = await getKeyUsage(h.ctx, { keyId: key.keyId });
    expect(usage.keyId).toBe(key.keyId);
    expect(usage.operations).toEqual({
      encrypt: 2,
      decrypt: 1,
      generateDataKey: 1,
      generateDataKeyWithoutPlaintext: 1,
      describeKey: 3, // one explicit, two getKeyUsage
    });
    expect(usage.lastUsedAt).toEqual(h.clock.now());
    expect(usage.countingSince).toBeInstanceOf(Date);
    expect((await getKeyUsage(h.ctx, { keyId: other.keyId })).operations).toEqual({
      describeKey: 1,
    });
  });

  it('needs DescribeKey on the key, and the key must exist', async () => {
    const key = await createKey(h.ctx, { spec: 'AES_256' });
    const stranger = h.as({ id: 'user/mallory', kind: 'user', policies: [] });
    expect(await errorCode(getKeyUsage(stranger, { keyId: key.keyId }))).toBe('ACCESS_DENIED');
    expect(await errorCode(getKeyUsage(h.ctx, { keyId: crypto.randomUUID() }))).toBe('NOT_FOUND');
    // A denied request is not counted against the key.
    expect((await getKeyUsage(h.ctx, { keyId: key.keyId })).operations).toEqual({ describeKey: 1 });
  });
});
