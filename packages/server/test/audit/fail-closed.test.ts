import Database from 'better-sqlite3';
import { SecretBytes } from '@custos/crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuditLog } from '../../src/audit/audit-log.js';
import { verifyStoredLog } from '../../src/audit/read.js';
import { UnavailableError } from '../../src/core/errors.js';
import {
  createKey,
  decrypt,
  encrypt,
  generateDataKey,
  scheduleKeyDeletion,
  sign,
} from '../../src/service/index.js';
import { errorCode } from '../support/kms-harness.js';
import { makeAuditedKms, type AuditHarness } from './audit-harness.js';

let h: AuditHarness | undefined;

afterEach(async () => {
  vi.restoreAllMocks();
  await h?.close();
  h = undefined;
});

/** A log that writes through to the real one until `failing` is set. */
function switchable(log: AuditLog, state: { failing: 'none' | 'append' | 'appendIn' }): AuditLog {
  const refuse = () => Promise.reject(new UnavailableError('disk full'));
  return {
    append: (entry) => (state.failing === 'append' ? refuse() : log.append(entry)),
    appendIn: (tx, entry) => (state.failing === 'appendIn' ? refuse() : log.appendIn(tx, entry)),
    close: () => log.close(),
  };
}

/** Makes every insert into the audit log fail, from a second connection, as a full disk would. */
function breakAuditTable(dbPath: string): () => void {
  const db = new Database(dbPath);
  db.exec(
    "CREATE TRIGGER audit_fails BEFORE INSERT ON audit_records BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END",
  );
  return () => {
    db.exec('DROP TRIGGER audit_fails');
    db.close();
  };
}

describe('fail closed: nothing is released without its durable record', () => {
  it('an encrypt whose record cannot be written is UNAVAILABLE', async () => {
    const state = { failing: 'none' as const } as { failing: 'none' | 'append' | 'appendIn' };
    h = await makeAuditedKms({ wrap: (log) => switchable(log, state) });
    const { keyId } = await createKey(h.ctx, {});
    state.failing = 'append';
    expect(await errorCode(encrypt(h.ctx, { keyId, plaintext: Buffer.from('x') }))).toBe(
      'UNAVAILABLE',
    );
  });

  it('a data key whose record cannot be written is zeroed, not returned', async () => {
    const state = { failing: 'none' } as { failing: 'none' | 'append' | 'appendIn' };
    h = await makeAuditedKms({ wrap: (log) => switchable(log, state) });
    const { keyId } = await createKey(h.ctx, {});
    const made: SecretBytes[] = [];
    vi.spyOn(SecretBytes.prototype, 'clone').mockImplementation(function (this: SecretBytes) {
      const copy = SecretBytes.copyOf(this.bytes);
      made.push(copy);
      return copy;
    });
    state.failing = 'append';
    expect(
      await errorCode(generateDataKey(h.ctx, { keyId, keySpec: 'AES_256', withPlaintext: true })),
    ).toBe('UNAVAILABLE');
    expect(made).toHaveLength(1);
    expect(made[0]!.isZeroed).toBe(true);
  });

  it('a decrypted plaintext whose record cannot be written is zeroed', async () => {
    const state = { failing: 'none' } as { failing: 'none' | 'append' | 'appendIn' };
    h = await makeAuditedKms({ wrap: (log) => switchable(log, state) });
    const { keyId } = await createKey(h.ctx, {});
    const { ciphertext } = await encrypt(h.ctx, { keyId, plaintext: Buffer.from('secret') });
    const adopted: SecretBytes[] = [];
    const adopt = SecretBytes.adopt.bind(SecretBytes);
    vi.spyOn(SecretBytes, 'adopt').mockImplementation((buffer: Buffer) => {
      const held = adopt(buffer);
      adopted.push(held);
      return held;
    });
    state.failing = 'append';
    expect(await errorCode(decrypt(h.ctx, { ciphertext }))).toBe('UNAVAILABLE');
    expect(adopted.length).toBeGreaterThan(0);
    expect(adopted.every((s) => s.isZeroed)).toBe(true);
  });

  it('a state change whose record cannot be written is rolled back', async () => {
    const state = { failing: 'appendIn' } as { failing: 'none' | 'append' | 'appendIn' };
    h = await makeAuditedKms({ wrap: (log) => switchable(log, state) });
    expect(await errorCode(createKey(h.ctx, { alias: 'alias/never' }))).toBe('UNAVAILABLE');
    expect((await h.store.listKeys({}, { limit: 10 })).items).toEqual([]);
    expect(await h.store.getAlias('alias/never')).toBeUndefined();
  });

  it('with the real log on a failing disk: crypto is refused, changes roll back, and the chain stays whole', async () => {
    h = await makeAuditedKms();
    const { keyId } = await createKey(h.ctx, {});
    const signing = await createKey(h.ctx, { spec: 'ECC_NIST_P256', usage: 'SIGN_VERIFY' });
    const repair = breakAuditTable(h.dbPath);
    expect(await errorCode(encrypt(h.ctx, { keyId, plaintext: Buffer.from('x') }))).toBe(
      'UNAVAILABLE',
    );
    expect(
      await errorCode(
        sign(h.ctx, {
          keyId: signing.keyId,
          message: Buffer.from('m'),
          algorithm: 'ECDSA_SHA_256',
        }),
      ),
    ).toBe('UNAVAILABLE');
    expect(await errorCode(scheduleKeyDeletion(h.ctx, { keyId }))).toBe('UNAVAILABLE');
    expect((await h.store.getKey(keyId))?.state).toBe('Enabled');
    repair();
    await encrypt(h.ctx, { keyId, plaintext: Buffer.from('x') });
    const records = await h.records();
    expect(records.map((r) => [r.seq, r.operation])).toEqual([
      [1, 'createKey'],
      [2, 'createKey'],
      [3, 'encrypt'],
    ]);
    expect((await verifyStoredLog(h.store)).ok).toBe(true);
  });

  it('a state change that loses its race is recorded once, as the failure it was', async () => {
    h = await makeAuditedKms();
    const { keyId } = await createKey(h.ctx, {});
    const results = await Promise.allSettled([
      scheduleKeyDeletion(h.ctx, { keyId }),
      scheduleKeyDeletion(h.ctx, { keyId }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const records = (await h.records()).filter((r) => r.operation === 'scheduleKeyDeletion');
    expect(records.map((r) => r.outcome).sort()).toEqual(['failure', 'success']);
  });
});
