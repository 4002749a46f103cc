import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { indexExport, verifyAuditExport, writeAuditExport } from '../../src/audit/export.js';
import { verifyStoredLog } from '../../src/audit/read.js';
import { archiveAuditLog } from '../../src/audit/retention.js';
import { createKey, encrypt } from '../../src/service/index.js';
import { auditKeyPair } from './helpers.js';
import { makeAuditedKms, type AuditHarness } from './audit-harness.js';

let h: AuditHarness;

beforeEach(async () => {
  h = await makeAuditedKms({ auditOptions: { checkpointEvery: 5 } });
});

afterEach(async () => {
  await h.close();
});

async function activity(n: number, stepMs = 0): Promise<string> {
  const { keyId } = await createKey(h.ctx, {});
  for (let i = 0; i < n; i += 1) {
    h.clock.advance(stepMs);
    await encrypt(h.ctx, {
      keyId,
      plaintext: Buffer.from('x'),
      encryptionContext: { i: String(i) },
    });
  }
  return keyId;
}

async function exportTo(name: string): Promise<string> {
  const file = join(h.dir, name);
  const out = createWriteStream(file);
  await writeAuditExport(h.store, out);
  out.end();
  await finished(out);
  return file;
}

describe('audit export', () => {
  it('writes JSON lines that verify anywhere with the public key', async () => {
    await activity(12);
    const file = await exportTo('audit.jsonl');
    const publicKey = (await h.log.publicKey())!;
    const index = await indexExport(file);
    expect(index.header.publicKey).toBe(publicKey.toString('base64'));
    expect(index.checkpoints.map((c) => c.seq)).toEqual([1, 6, 11]);
    expect(await verifyAuditExport(file, publicKey)).toMatchObject({
      ok: true,
      verifiedThrough: 11,
      records: 13,
      unverifiedTail: { from: 12, to: 13 },
    });
  });

  it('fails with the first bad seq when a line is changed, and with another key', async () => {
    await activity(12);
    const file = await exportTo('audit.jsonl');
    const publicKey = (await h.log.publicKey())!;
    const lines = readFileSync(file, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.includes('"seq":8,'));
    lines[at] = lines[at]!.replace('"outcome":"success"', '"outcome":"failure"');
    writeFileSync(file, lines.join('\n'));
    expect(await verifyAuditExport(file, publicKey)).toMatchObject({ ok: false, firstBadSeq: 8 });
    expect(
      await verifyAuditExport(await exportTo('b.jsonl'), auditKeyPair().publicKey),
    ).toMatchObject({
      ok: false,
      firstBadSeq: 1,
    });
  });

  it('reports an unparseable line as the break where it stands', async () => {
    await activity(3);
    const file = await exportTo('audit.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.includes('"seq":3,'));
    lines[at] = '{"record": {"seq": 3, "v": 1}}';
    writeFileSync(file, lines.join('\n'));
    expect(await verifyAuditExport(file, (await h.log.publicKey())!)).toMatchObject({
      ok: false,
      firstBadSeq: 3,
    });
  });
});

describe('retention', () => {
  it('archives old records to a signed file, prunes them, and the rest still verifies', async () => {
    await activity(20, 3_600_000);
    const cutoff = new Date(h.clock.now().getTime() - 10 * 3_600_000 + 1);
    const result = await archiveAuditLog(h.log, h.store, {
      before: cutoff,
      archiveDir: join(h.dir, 'archive'),
    });
    expect(result.throughSeq).toBe(11);
    expect(result.archived).toBe(11);
    const publicKey = (await h.log.publicKey())!;
    expect(await verifyAuditExport(result.file!, publicKey)).toMatchObject({
      ok: true,
      verifiedThrough: 11,
      unverifiedTail: null,
    });
    expect((await h.records())[0]!.seq).toBe(12);
    expect(await verifyStoredLog(h.store)).toMatchObject({ ok: true, firstBadSeq: null });
    await activity(2);
    const after = await h.records();
    expect(after.map((r) => r.seq)).toEqual([12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
    expect((await verifyStoredLog(h.store)).ok).toBe(true);
    const rest = await exportTo('rest.jsonl');
    expect((await verifyAuditExport(rest, publicKey)).ok).toBe(true);
  });

  it('can archive everything; the chain continues from the anchor', async () => {
    await activity(3);
    h.clock.advance(1000);
    const result = await archiveAuditLog(h.log, h.store, {
      before: h.clock.now(),
      archiveDir: join(h.dir, 'archive'),
    });
    expect(result.throughSeq).toBe(4);
    expect(await h.records()).toEqual([]);
    await activity(1);
    const records = await h.records();
    expect(records.map((r) => r.seq)).toEqual([5, 6]);
    expect((await verifyStoredLog(h.store)).ok).toBe(true);
  });

  it('does nothing when no record is old enough', async () => {
    await activity(2);
    expect(
      await archiveAuditLog(h.log, h.store, { before: new Date(0), archiveDir: join(h.dir, 'a') }),
    ).toEqual({ archived: 0, file: null, throughSeq: null });
  });
});
