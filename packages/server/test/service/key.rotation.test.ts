import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKey,
  decrypt,
  describeKey,
  disableKey,
  enableKey,
  encrypt,
  generateDataKey,
  generateMac,
  rotateKey,
  runDueWork,
  scheduleKeyDeletion,
  setKeyRotation,
  sign,
  updateKeyVersion,
  verify,
  verifyMac,
} from '../../src/service/index.js';
import { errorCode, makeKms, type KmsHarness } from '../support/kms-harness.js';

const DAY = 86_400_000;
const plaintext = Buffer.from('rotate me');
const message = Buffer.from('a message');

/** The key version a v1 ciphertext names (uint32 BE at offset 18, docs/formats.md). */
function headerVersion(ciphertext: Buffer): number {
  return ciphertext.readUInt32BE(18);
}

let h: KmsHarness;
beforeAll(async () => {
  h = await makeKms();
});
afterAll(async () => {
  await h.close();
});

describe('on-demand rotation', () => {
  it('makes a new primary version; old ciphertexts still decrypt', async () => {
    const { keyId } = await createKey(h.ctx, {});
    const old = await encrypt(h.ctx, { keyId, plaintext, encryptionContext: { a: '1' } });
    expect(old.keyVersion).toBe(1);
    expect(headerVersion(old.ciphertext)).toBe(1);

    h.clock.advance(1000);
    const view = await rotateKey(h.ctx, { keyId });
    expect(view.primaryVersion).toBe(2);
    expect(view.versions).toEqual([
      expect.objectContaining({ version: 1, state: 'Enabled', primary: false }),
      { version: 2, state: 'Enabled', primary: true, usageCount: 0, createdAt: h.clock.now() },
    ]);
    expect(view.updatedAt).toEqual(h.clock.now());

    const fresh = await encrypt(h.ctx, { keyId, plaintext });
    expect(fresh.keyVersion).toBe(2);
    expect(headerVersion(fresh.ciphertext)).toBe(2);

    const a = await decrypt(h.ctx, { ciphertext: old.ciphertext, encryptionContext: { a: '1' } });
    expect(a.keyVersion).toBe(1);
    expect(a.plaintext.bytes).toEqual(plaintext);
    const b = await decrypt(h.ctx, { ciphertext: fresh.ciphertext });
    expect(b.keyVersion).toBe(2);
    expect(b.plaintext.bytes).toEqual(plaintext);

    expect((await rotateKey(h.ctx, { keyId })).primaryVersion).toBe(3);
    expect((await decrypt(h.ctx, { ciphertext: fresh.ciphertext })).keyVersion).toBe(2);
    expect((await h.store.getVersions(keyId)).map((v) => v.version)).toEqual([1, 2, 3]);
  });

  it('keeps old signatures and MACs verifying', async () => {
    const signer = await createKey(h.ctx, { spec: 'ECC_NIST_P256' });
    const old = await sign(h.ctx, { keyId: signer.keyId, message, algorithm: 'ECDSA_SHA_256' });
    await rotateKey(h.ctx, { keyId: signer.keyId });
    const fresh = await sign(h.ctx, { keyId: signer.keyId, message, algorithm: 'ECDSA_SHA_256' });
    expect(fresh.keyVersion).toBe(2);
    for (const [signature, version] of [
      [old.signature, 1],
      [fresh.signature, 2],
    ] as const) {
      const out = await verify(h.ctx, {
        keyId: signer.keyId,
        message,
        signature,
        algorithm: 'ECDSA_SHA_256',
      });
      expect(out).toMatchObject({ valid: true, keyVersion: version });
    }

    const mac = await createKey(h.ctx, { spec: 'HMAC_384' });
    const oldMac = await generateMac(h.ctx, {
      keyId: mac.keyId,
      message,
      algorithm: 'HMAC_SHA_384',
    });
    await rotateKey(h.ctx, { keyId: mac.keyId });
    const newMac = await generateMac(h.ctx, {
      keyId: mac.keyId,
      message,
      algorithm: 'HMAC_SHA_384',
    });
    expect(newMac.keyVersion).toBe(2);
    expect(newMac.mac.equals(oldMac.mac)).toBe(false);
    for (const [tag, version] of [
      [oldMac.mac, 1],
      [newMac.mac, 2],
    ] as const) {
      expect(
        await verifyMac(h.ctx, { keyId: mac.keyId, message, mac: tag, algorithm: 'HMAC_SHA_384' }),
      ).toMatchObject({ valid: true, keyVersion: version });
    }
  });

  it('refuses to rotate a disabled key (KEY_DISABLED) or one pending deletion', async () => {
    const { keyId } = await createKey(h.ctx, {});
    await disableKey(h.ctx, { keyId });
    expect(await errorCode(rotateKey(h.ctx, { keyId }))).toBe('KEY_DISABLED');
    await scheduleKeyDeletion(h.ctx, { keyId });
    expect(await errorCode(rotateKey(h.ctx, { keyId }))).toBe('KEY_PENDING_DELETION');
    expect(await h.store.getVersions(keyId)).toHaveLength(1);
  });
});

describe('automatic rotation', () => {
  let a: KmsHarness;
  beforeAll(async () => {
    a = await makeKms();
  });
  afterAll(async () => {
    await a.close();
  });

  it('rotates when the period has passed and moves the next rotation time', async () => {
    const { keyId } = await createKey(a.ctx, {});
    const { ciphertext } = await encrypt(a.ctx, { keyId, plaintext });
    const on = await setKeyRotation(a.ctx, { keyId, rotationPeriodDays: 10 });
    expect(on.rotationPeriodDays).toBe(10);
    expect(on.nextRotationAt).toEqual(new Date(a.clock.now().getTime() + 10 * DAY));

    a.clock.advance(10 * DAY - 60_000);
    expect(await runDueWork(a.kms)).toMatchObject({ rotated: 0, failed: 0 });
    expect((await describeKey(a.ctx, { keyId })).primaryVersion).toBe(1);

    a.clock.advance(120_000);
    expect(await runDueWork(a.kms)).toEqual({
      rotated: 1,
      destroyed: 0,
      expired: 0,
      failed: 0,
      purgedTokens: 0,
      purgedImportTokens: 0,
    });
    const rotated = await describeKey(a.ctx, { keyId });
    expect(rotated.primaryVersion).toBe(2);
    expect(rotated.nextRotationAt).toEqual(new Date(a.clock.now().getTime() + 10 * DAY));
    expect((await encrypt(a.ctx, { keyId, plaintext })).keyVersion).toBe(2);
    expect((await decrypt(a.ctx, { ciphertext })).keyVersion).toBe(1);

    // Done once per period.
    expect((await runDueWork(a.kms)).rotated).toBe(0);
    a.clock.advance(10 * DAY);
    expect((await runDueWork(a.kms)).rotated).toBe(1);
    expect((await describeKey(a.ctx, { keyId })).primaryVersion).toBe(3);

    const off = await setKeyRotation(a.ctx, { keyId, rotationPeriodDays: null });
    expect(off.rotationPeriodDays).toBeNull();
    expect(off.nextRotationAt).toBeNull();
    a.clock.advance(30 * DAY);
    expect((await runDueWork(a.kms)).rotated).toBe(0);
    expect((await describeKey(a.ctx, { keyId })).primaryVersion).toBe(3);
  });

  it('rotates keys created with a period, and resets the period on manual rotation', async () => {
    const created = await createKey(a.ctx, { rotationPeriodDays: 5 });
    expect(created.nextRotationAt).toEqual(new Date(a.clock.now().getTime() + 5 * DAY));
    a.clock.advance(3 * DAY);
    const manual = await rotateKey(a.ctx, { keyId: created.keyId });
    expect(manual.nextRotationAt).toEqual(new Date(a.clock.now().getTime() + 5 * DAY));
    a.clock.advance(3 * DAY);
    expect((await runDueWork(a.kms)).rotated).toBe(0);
    a.clock.advance(2 * DAY);
    expect((await runDueWork(a.kms)).rotated).toBe(1);
    expect((await describeKey(a.ctx, { keyId: created.keyId })).primaryVersion).toBe(3);
  });

  it('skips a disabled key until it is enabled again', async () => {
    const { keyId } = await createKey(a.ctx, { rotationPeriodDays: 1 });
    await disableKey(a.ctx, { keyId });
    a.clock.advance(2 * DAY);
    expect(await runDueWork(a.kms)).toMatchObject({ rotated: 0, failed: 0 });
    expect((await describeKey(a.ctx, { keyId })).primaryVersion).toBe(1);
    await enableKey(a.ctx, { keyId });
    expect((await runDueWork(a.kms)).rotated).toBe(1);
    expect((await describeKey(a.ctx, { keyId })).primaryVersion).toBe(2);
  });

  it('refuses rotation periods out of range (INVALID_INPUT)', async () => {
    const { keyId } = await createKey(a.ctx, {});
    for (const days of [0, -1, 2561, 1.5]) {
      expect(await errorCode(setKeyRotation(a.ctx, { keyId, rotationPeriodDays: days }))).toBe(
        'INVALID_INPUT',
      );
      expect(await errorCode(createKey(a.ctx, { rotationPeriodDays: days }))).toBe('INVALID_INPUT');
    }
    expect(
      (await setKeyRotation(a.ctx, { keyId, rotationPeriodDays: 2560 })).rotationPeriodDays,
    ).toBe(2560);
  });
});

describe('version states', () => {
  it('disabling an old version stops its ciphertexts; enabling it restores them', async () => {
    const { keyId } = await createKey(h.ctx, {});
    const v1 = await encrypt(h.ctx, { keyId, plaintext });
    await rotateKey(h.ctx, { keyId });
    const v2 = await encrypt(h.ctx, { keyId, plaintext });

    const disabled = await updateKeyVersion(h.ctx, { keyId, version: 1, state: 'Disabled' });
    expect(disabled.versions.map((v) => v.state)).toEqual(['Disabled', 'Enabled']);
    expect(await errorCode(decrypt(h.ctx, { ciphertext: v1.ciphertext }))).toBe(
      'INVALID_CIPHERTEXT',
    );
    expect((await decrypt(h.ctx, { ciphertext: v2.ciphertext })).keyVersion).toBe(2);
    // Idempotent.
    await updateKeyVersion(h.ctx, { keyId, version: 1, state: 'Disabled' });

    await updateKeyVersion(h.ctx, { keyId, version: 1, state: 'Enabled' });
    const back = await decrypt(h.ctx, { ciphertext: v1.ciphertext });
    expect(back.keyVersion).toBe(1);
    expect(back.plaintext.bytes).toEqual(plaintext);
  });

  it('a disabled version no longer verifies its signatures', async () => {
    const { keyId } = await createKey(h.ctx, { spec: 'ED25519' });
    const old = await sign(h.ctx, { keyId, message, algorithm: 'ED25519_SHA_512' });
    await rotateKey(h.ctx, { keyId });
    await updateKeyVersion(h.ctx, { keyId, version: 1, state: 'Disabled' });
    const input = {
      keyId,
      message,
      signature: old.signature,
      algorithm: 'ED25519_SHA_512',
    } as const;
    expect(await verify(h.ctx, input)).toMatchObject({ valid: false, keyVersion: null });
    await updateKeyVersion(h.ctx, { keyId, version: 1, state: 'Enabled' });
    expect(await verify(h.ctx, input)).toMatchObject({ valid: true, keyVersion: 1 });
  });

  it('compromise is final', async () => {
    const { keyId } = await createKey(h.ctx, {});
    const v1 = await encrypt(h.ctx, { keyId, plaintext });
    await rotateKey(h.ctx, { keyId });
    const view = await updateKeyVersion(h.ctx, { keyId, version: 1, state: 'Compromised' });
    expect(view.versions[0]?.state).toBe('Compromised');
    expect(await errorCode(decrypt(h.ctx, { ciphertext: v1.ciphertext }))).toBe(
      'INVALID_CIPHERTEXT',
    );
    expect(await errorCode(updateKeyVersion(h.ctx, { keyId, version: 1, state: 'Enabled' }))).toBe(
      'INVALID_STATE',
    );
    expect(await errorCode(updateKeyVersion(h.ctx, { keyId, version: 1, state: 'Disabled' }))).toBe(
      'INVALID_STATE',
    );
    expect((await h.store.getVersion(keyId, 1))?.state).toBe('Compromised');
    expect(await errorCode(decrypt(h.ctx, { ciphertext: v1.ciphertext }))).toBe(
      'INVALID_CIPHERTEXT',
    );
  });

  it('refuses to take the primary version out of service (INVALID_STATE)', async () => {
    const { keyId } = await createKey(h.ctx, {});
    await rotateKey(h.ctx, { keyId });
    const before = await h.store.getVersions(keyId);
    for (const state of ['Disabled', 'Compromised'] as const) {
      expect(await errorCode(updateKeyVersion(h.ctx, { keyId, version: 2, state }))).toBe(
        'INVALID_STATE',
      );
    }
    expect(await h.store.getVersions(keyId)).toEqual(before);
    expect((await encrypt(h.ctx, { keyId, plaintext })).keyVersion).toBe(2);
  });

  it('answers NOT_FOUND for a version that does not exist', async () => {
    const { keyId } = await createKey(h.ctx, {});
    expect(await errorCode(updateKeyVersion(h.ctx, { keyId, version: 2, state: 'Disabled' }))).toBe(
      'NOT_FOUND',
    );
  });
});

describe('usage counts', () => {
  it('counts what each version produced', async () => {
    const { keyId } = await createKey(h.ctx, {});
    const made: Buffer[] = [];
    for (let i = 0; i < 3; i++) made.push((await encrypt(h.ctx, { keyId, plaintext })).ciphertext);
    await generateDataKey(h.ctx, { keyId, keySpec: 'AES_256', withPlaintext: false });
    await rotateKey(h.ctx, { keyId });
    for (let i = 0; i < 2; i++) made.push((await encrypt(h.ctx, { keyId, plaintext })).ciphertext);
    // Decryption produces nothing.
    for (const ciphertext of made) await decrypt(h.ctx, { ciphertext });

    const counts = async (): Promise<number[]> =>
      (await describeKey(h.ctx, { keyId })).versions.map((v) => v.usageCount);
    expect(await counts()).toEqual([4, 2]);

    // The scheduler writes the counts to the store; describe must still show them.
    await runDueWork(h.kms);
    expect((await h.store.getVersions(keyId)).map((v) => v.usageCount)).toEqual([4, 2]);
    expect(await counts()).toEqual([4, 2]);

    await encrypt(h.ctx, { keyId, plaintext });
    expect(await counts()).toEqual([4, 3]);

    // A version write made from a snapshot read before the flush keeps the counts.
    await updateKeyVersion(h.ctx, { keyId, version: 1, state: 'Disabled' });
    await runDueWork(h.kms);
    expect(await counts()).toEqual([4, 3]);
    expect((await h.store.getVersions(keyId)).map((v) => v.usageCount)).toEqual([4, 3]);
  });
});
