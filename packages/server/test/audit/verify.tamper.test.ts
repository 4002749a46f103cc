import { describe, expect, it } from 'vitest';
import { chainEntries } from '../../src/audit/chain.js';
import { signCheckpoint } from '../../src/audit/checkpoint.js';
import type { AuditRecord } from '../../src/audit/record.js';
import { verifyAuditLog } from '../../src/audit/verify.js';
import { auditKeyPair, entry, makeLog } from './helpers.js';

/** Rewrites record `at` and re-chains everything after it, as an attacker with the database would. */
function rewriteFrom(records: AuditRecord[], at: number, principal: string): AuditRecord[] {
  const before = records.slice(0, at - 1);
  const head = before.at(-1) ?? { seq: 0, hash: '0'.repeat(64) };
  const entries = records.slice(at - 1).map((r, i) => entry(r.seq, i === 0 ? { principal } : {}));
  return [
    ...before,
    ...chainEntries(head, entries, { mode: 'hmac-sha256', key: Buffer.alloc(32, 7) }),
  ];
}

describe('verifyAuditLog: an untouched log', () => {
  it('verifies through the last checkpoint and reports the unsigned tail', () => {
    const { records, checkpoints, key } = makeLog(12, [5, 10]);
    expect(verifyAuditLog(records, checkpoints, key.publicKey)).toEqual({
      ok: true,
      verifiedThrough: 10,
      firstBadSeq: null,
      reason: null,
      unverifiedTail: { from: 11, to: 12 },
    });
  });

  it('verifies an empty log', () => {
    const key = auditKeyPair();
    expect(verifyAuditLog([], [], key.publicKey)).toMatchObject({ ok: true, verifiedThrough: 0 });
  });

  it('verifies a log that starts at a signed anchor', () => {
    const { records, checkpoints, key } = makeLog(12, [5, 10]);
    const anchor = signCheckpoint({ ...checkpoints[0]!, kind: 'anchor' }, key.privateKey);
    const result = verifyAuditLog(records.slice(5), checkpoints.slice(1), key.publicKey, {
      anchor,
    });
    expect(result).toMatchObject({ ok: true, verifiedThrough: 10 });
  });
});

describe('verifyAuditLog: tampering is detected at the first broken seq', () => {
  it('modified record (hash left as it was)', () => {
    const { records, checkpoints, key } = makeLog(12, [5, 10]);
    records[6] = { ...records[6]!, principal: 'user/mallory' };
    expect(verifyAuditLog(records, checkpoints, key.publicKey)).toMatchObject({
      ok: false,
      firstBadSeq: 7,
      verifiedThrough: 5,
    });
  });

  it('modified record with its hash recomputed', () => {
    const { records, checkpoints, key } = makeLog(12, [5, 10]);
    const rewritten = chainEntries(
      { seq: 6, hash: records[5]!.hash },
      [entry(7, { outcome: 'failure' })],
      {
        mode: 'hmac-sha256',
        key: Buffer.alloc(32, 7),
      },
    )[0]!;
    records[6] = rewritten;
    expect(verifyAuditLog(records, checkpoints, key.publicKey)).toMatchObject({
      ok: false,
      firstBadSeq: 7,
    });
  });

  it('modified record with the whole chain after it rewritten: the checkpoint catches it', () => {
    const { records, checkpoints, key } = makeLog(12, [5, 10]);
    const rewritten = rewriteFrom(records, 7, 'user/mallory');
    expect(verifyAuditLog(rewritten, checkpoints, key.publicKey)).toMatchObject({
      ok: false,
      firstBadSeq: 6,
      verifiedThrough: 5,
    });
  });

  it('deleted record', () => {
    const { records, checkpoints, key } = makeLog(12, [5, 10]);
    records.splice(7, 1);
    expect(verifyAuditLog(records, checkpoints, key.publicKey)).toMatchObject({
      ok: false,
      firstBadSeq: 8,
    });
  });

  it('inserted record', () => {
    const { records, checkpoints, key } = makeLog(12, [5, 10]);
    const forged = chainEntries(
      { seq: 7, hash: records[6]!.hash },
      [entry(8, { principal: 'x' })],
      {
        mode: 'clear',
      },
    )[0]!;
    records.splice(7, 0, forged);
    expect(verifyAuditLog(records, checkpoints, key.publicKey)).toMatchObject({
      ok: false,
      firstBadSeq: 8,
    });
  });

  it('reordered records', () => {
    const { records, checkpoints, key } = makeLog(12, [5, 10]);
    [records[7], records[8]] = [records[8]!, records[7]!];
    expect(verifyAuditLog(records, checkpoints, key.publicKey)).toMatchObject({
      ok: false,
      firstBadSeq: 8,
    });
  });

  it('truncated tail past a checkpoint', () => {
    const { records, checkpoints, key } = makeLog(12, [5, 10]);
    expect(verifyAuditLog(records.slice(0, 8), checkpoints, key.publicKey)).toMatchObject({
      ok: false,
      firstBadSeq: 9,
      verifiedThrough: 5,
    });
  });

  it('a truncated unsigned tail only shrinks the unverified tail (why checkpoints are frequent)', () => {
    const { records, checkpoints, key } = makeLog(12, [5, 10]);
    expect(verifyAuditLog(records.slice(0, 11), checkpoints, key.publicKey)).toMatchObject({
      ok: true,
      unverifiedTail: { from: 11, to: 11 },
    });
  });

  it('forged checkpoint signature', () => {
    const { records, checkpoints, key } = makeLog(12, [5, 10]);
    const other = auditKeyPair();
    checkpoints[1] = signCheckpoint({ ...checkpoints[1]!, keyId: key.keyId }, other.privateKey);
    expect(verifyAuditLog(records, checkpoints, key.publicKey)).toMatchObject({
      ok: false,
      firstBadSeq: 10,
    });
  });

  it('first record deleted', () => {
    const { records, checkpoints, key } = makeLog(12, [5, 10]);
    expect(verifyAuditLog(records.slice(1), checkpoints, key.publicKey)).toMatchObject({
      ok: false,
      firstBadSeq: 1,
      verifiedThrough: 0,
    });
  });
});
