import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chainEncoded } from '../../src/audit/chain.js';
import { GENESIS_HASH } from '../../src/audit/record.js';
import { toStoredRecord } from '../../src/audit/stored.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { StoredAuditCheckpoint } from '../../src/store/store.js';
import { errorCode } from '../support/kms-harness.js';
import { entry } from './helpers.js';

let dir: string;
let store: SqliteStore;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'custos-audit-store-'));
  store = await openSqliteStore({ path: join(dir, 'custos.db') });
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function records(n: number) {
  return chainEncoded(
    { seq: 0, hash: GENESIS_HASH },
    Array.from({ length: n }, (_, i) =>
      entry(i + 1, {
        principal: i % 3 === 0 ? 'user/bob' : 'user/alice',
        keyId: i % 2 === 0 ? 'k-even' : 'k-odd',
        outcome: i % 5 === 0 ? 'denied' : 'success',
      }),
    ),
    { mode: 'clear' },
  ).map(toStoredRecord);
}

const checkpoint = (
  seq: number,
  kind: 'checkpoint' | 'anchor' = 'checkpoint',
): StoredAuditCheckpoint => ({
  kind,
  seq,
  time: new Date('2026-01-02T00:00:00Z'),
  json: `{"seq":${seq}}`,
});

describe('Store audit port (SQLite)', () => {
  it('starts empty and reports its head after appends', async () => {
    expect(await store.getAuditHead()).toEqual({ last: null, lastCheckpoint: null, anchor: null });
    const rows = records(5);
    await store.transaction((tx) => tx.appendAudit(rows, checkpoint(5)));
    expect(await store.getAuditHead()).toEqual({
      last: { seq: 5, hash: rows[4]!.hash },
      lastCheckpoint: { seq: 5, time: new Date('2026-01-02T00:00:00Z') },
      anchor: null,
    });
  });

  it('refuses a taken seq as ALREADY_EXISTS and keeps nothing of that transaction', async () => {
    const rows = records(3);
    await store.transaction((tx) => tx.appendAudit(rows));
    expect(await errorCode(store.transaction((tx) => tx.appendAudit(rows.slice(2))))).toBe(
      'ALREADY_EXISTS',
    );
    expect((await store.getAuditHead()).last?.seq).toBe(3);
  });

  it('rolls the records back with the transaction that carried them', async () => {
    await expect(
      store.transaction(async (tx) => {
        await tx.appendAudit(records(2));
        throw new Error('change failed');
      }),
    ).rejects.toThrow('change failed');
    expect((await store.getAuditHead()).last).toBeNull();
  });

  it('lists newest first with filters and cursor pagination', async () => {
    await store.transaction((tx) => tx.appendAudit(records(30)));
    const first = await store.listAuditRecords({ principal: 'user/bob' }, { limit: 4 });
    expect(first.items.map((r) => r.seq)).toEqual([28, 25, 22, 19]);
    const second = await store.listAuditRecords(
      { principal: 'user/bob' },
      { limit: 4, cursor: first.nextCursor! },
    );
    expect(second.items.map((r) => r.seq)).toEqual([16, 13, 10, 7]);
    const all = await store.listAuditRecords(
      { keyId: 'k-odd', outcome: 'denied', operation: 'encrypt' },
      { limit: 100 },
    );
    expect(all.items.map((r) => r.seq)).toEqual([26, 16, 6]);
    expect(all.nextCursor).toBeNull();
  });

  it('filters by time range, and follows the log oldest first after a seq', async () => {
    await store.transaction((tx) => tx.appendAudit(records(10)));
    const ranged = await store.listAuditRecords(
      {
        from: new Date(Date.UTC(2026, 0, 1, 0, 0, 3)),
        to: new Date(Date.UTC(2026, 0, 1, 0, 0, 6)),
      },
      { limit: 10 },
    );
    expect(ranged.items.map((r) => r.seq)).toEqual([5, 4, 3]);
    const after = await store.listAuditRecords({ afterSeq: 7 }, { limit: 10 });
    expect(after.items.map((r) => r.seq)).toEqual([8, 9, 10]);
  });

  it('refuses a forged cursor as INVALID_INPUT', async () => {
    expect(
      await errorCode(store.listAuditRecords({}, { limit: 1, cursor: 'bm90LWEtbnVtYmVy' })),
    ).toBe('INVALID_INPUT');
  });

  it('reads ranges and checkpoints in order', async () => {
    await store.transaction(async (tx) => {
      await tx.appendAudit(records(6), checkpoint(3));
      await tx.appendAudit([], checkpoint(6));
    });
    expect((await store.readAuditRange(2, 4, 10)).map((r) => r.seq)).toEqual([2, 3, 4]);
    expect((await store.listAuditCheckpoints(0, 10)).map((c) => c.seq)).toEqual([3, 6]);
    expect((await store.listAuditCheckpoints(3, 10)).map((c) => c.seq)).toEqual([6]);
  });

  it('prunes through an anchor and keeps the anchor as the head when nothing is left', async () => {
    await store.transaction((tx) => tx.appendAudit(records(6), checkpoint(4)));
    expect(await store.transaction((tx) => tx.pruneAudit(checkpoint(4, 'anchor')))).toBe(4);
    const head = await store.getAuditHead();
    expect(head.last?.seq).toBe(6);
    expect(head.lastCheckpoint).toBeNull();
    expect(head.anchor?.seq).toBe(4);
    expect((await store.readAuditRange(0, 100, 100)).map((r) => r.seq)).toEqual([5, 6]);
  });
});
