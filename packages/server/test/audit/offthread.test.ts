import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyStoredLog } from '../../src/audit/read.js';
import {
  createKey,
  encrypt,
  scheduleKeyDeletion,
  cancelKeyDeletion,
} from '../../src/service/index.js';
import { errorCode } from '../support/kms-harness.js';
import { makeAuditedKms, type AuditHarness } from './audit-harness.js';

let h: AuditHarness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('group commit on a worker thread (as the server runs it)', () => {
  it('keeps the chain gapless while state changes append on the main connection in between', async () => {
    h = await makeAuditedKms({ offThread: true, auditOptions: { checkpointEvery: 50 } });
    const { keyId } = await createKey(h.ctx, {});
    const other = await createKey(h.ctx, {});
    const work: Promise<unknown>[] = [];
    // State changes one after another (they are on one key), encrypts all at once around them.
    let changes: Promise<unknown> = Promise.resolve();
    for (let i = 0; i < 300; i += 1) {
      work.push(encrypt({ ...h.ctx, requestId: `e${i}` }, { keyId, plaintext: Buffer.from('x') }));
      if (i % 50 === 25) {
        changes = changes
          .then(() => scheduleKeyDeletion(h!.ctx, { keyId: other.keyId }))
          .then(() => cancelKeyDeletion(h!.ctx, { keyId: other.keyId }));
      }
    }
    await Promise.all([...work, changes]);
    await h.log.close();
    const records = await h.records();
    expect(records).toHaveLength(2 + 300 + 12);
    expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i + 1));
    expect(records.filter((r) => r.operation === 'cancelKeyDeletion')).toHaveLength(6);
    const result = await verifyStoredLog(h.store);
    expect(result).toMatchObject({ ok: true, unverifiedTail: null });
    expect((await h.store.listAuditCheckpoints(0, 100)).at(-1)?.seq).toBe(records.length);
  });

  it('stores a checkpoint that falls due in the transaction of the batch it covers', async () => {
    h = await makeAuditedKms({ offThread: true, auditOptions: { checkpointEvery: 40 } });
    const { keyId } = await createKey(h.ctx, {});
    for (let round = 0; round < 4; round += 1) {
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          encrypt(
            { ...h!.ctx, requestId: `r${round}-${i}` },
            { keyId, plaintext: Buffer.from('x') },
          ),
        ),
      );
    }
    // Before close() signs its last one: every checkpoint so far came with a batch.
    const checkpoints = await h.store.listAuditCheckpoints(0, 100);
    const records = await h.records();
    expect(records).toHaveLength(121);
    expect(checkpoints.length).toBeGreaterThanOrEqual(3);
    const seqs = checkpoints.map((c) => c.seq);
    for (let i = 1; i < seqs.length; i += 1) {
      expect(seqs[i]! - seqs[i - 1]!).toBeGreaterThanOrEqual(40);
    }
    expect(await verifyStoredLog(h.store)).toMatchObject({ ok: true });
  });

  it('fails closed when the worker cannot write: UNAVAILABLE, and recovers afterwards', async () => {
    h = await makeAuditedKms({ offThread: true });
    const { keyId } = await createKey(h.ctx, {});
    const db = new Database(h.dbPath);
    db.exec(
      "CREATE TRIGGER audit_fails BEFORE INSERT ON audit_records BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END",
    );
    expect(await errorCode(encrypt(h.ctx, { keyId, plaintext: Buffer.from('x') }))).toBe(
      'UNAVAILABLE',
    );
    db.exec('DROP TRIGGER audit_fails');
    db.close();
    await encrypt(h.ctx, { keyId, plaintext: Buffer.from('x') });
    expect((await h.records()).map((r) => r.operation)).toEqual(['createKey', 'encrypt']);
    expect((await verifyStoredLog(h.store)).ok).toBe(true);
  });
});
