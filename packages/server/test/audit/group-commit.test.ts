import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GroupCommit } from '../../src/audit/group-commit.js';
import { verifyStoredLog } from '../../src/audit/read.js';
import { AuditSink } from '../../src/audit/sink.js';
import { createKey, encrypt } from '../../src/service/index.js';
import { makeAuditedKms, type AuditHarness } from './audit-harness.js';

let h: AuditHarness | undefined;

afterEach(async () => {
  vi.restoreAllMocks();
  await h?.close();
  h = undefined;
});

describe('GroupCommit', () => {
  it('writes what was submitted in one turn as one batch, in order', async () => {
    const batches: number[][] = [];
    const commit = new GroupCommit<number>((items) => {
      batches.push([...items]);
      return Promise.resolve();
    }, 100);
    await Promise.all(Array.from({ length: 250 }, (_, i) => commit.submit(i)));
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
    expect(batches.flat()).toEqual(Array.from({ length: 250 }, (_, i) => i));
  });

  it('rejects every caller of a failed batch with its error, and goes on with the next', async () => {
    let calls = 0;
    const commit = new GroupCommit<number>(() => {
      calls += 1;
      return calls === 1 ? Promise.reject(new Error('fsync failed')) : Promise.resolve();
    }, 10);
    const first = Array.from({ length: 3 }, (_, i) => commit.submit(i));
    const results = await Promise.allSettled(first);
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    await expect(commit.submit(99)).resolves.toBeUndefined();
  });

  it('refuses a batch size that is not a positive integer', () => {
    expect(() => new GroupCommit(() => Promise.resolve(), 0)).toThrow(TypeError);
  });
});

describe('the audit log under concurrency', () => {
  it('shares transactions between concurrent requests and keeps sequence numbers gapless', async () => {
    h = await makeAuditedKms();
    const { keyId } = await createKey(h.ctx, {});
    const transaction = vi.spyOn(h.store, 'transaction');
    const n = 200;
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        encrypt({ ...h!.ctx, requestId: `r${i}` }, { keyId, plaintext: Buffer.from('x') }),
      ),
    );
    expect(transaction.mock.calls.length).toBeLessThan(n / 10);
    const records = await h.records();
    expect(records.map((r) => r.seq)).toEqual(Array.from({ length: n + 1 }, (_, i) => i + 1));
    expect(new Set(records.map((r) => r.requestId)).size).toBe(n + 1);
    expect((await verifyStoredLog(h.store)).ok).toBe(true);
  });

  it('signs a checkpoint at the first record and every N records after', async () => {
    h = await makeAuditedKms({ auditOptions: { checkpointEvery: 10 } });
    const { keyId } = await createKey(h.ctx, {});
    for (let i = 0; i < 34; i += 1) await encrypt(h.ctx, { keyId, plaintext: Buffer.from('x') });
    const checkpoints = await h.store.listAuditCheckpoints(0, 100);
    expect(checkpoints.map((c) => c.seq)).toEqual([1, 11, 21, 31]);
    expect(await verifyStoredLog(h.store)).toMatchObject({
      ok: true,
      verifiedThrough: 31,
      unverifiedTail: { from: 32, to: 35 },
    });
  });

  it('signs a checkpoint once T has passed since the last one', async () => {
    h = await makeAuditedKms({ auditOptions: { checkpointIntervalMs: 60_000 } });
    const { keyId } = await createKey(h.ctx, {});
    expect((await h.store.listAuditCheckpoints(0, 10)).map((c) => c.seq)).toEqual([1]);
    await encrypt(h.ctx, { keyId, plaintext: Buffer.from('x') });
    h.clock.advance(61_000);
    await encrypt(h.ctx, { keyId, plaintext: Buffer.from('x') });
    expect((await h.store.listAuditCheckpoints(0, 10)).map((c) => c.seq)).toEqual([1, 3]);
  });

  it('copies durable records to the second sink as JSON lines', async () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    stream.on('data', (chunk: Buffer) =>
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)),
    );
    h = await makeAuditedKms({
      auditOptions: { sink: new AuditSink(stream), checkpointEvery: 3 },
    });
    const { keyId } = await createKey(h.ctx, {});
    for (let i = 0; i < 3; i += 1) await encrypt(h.ctx, { keyId, plaintext: Buffer.from('x') });
    await new Promise((resolve) => setImmediate(resolve));
    const parsed = lines.map(
      (l) => JSON.parse(l) as { record?: { seq: number }; checkpoint?: { seq: number } },
    );
    expect(parsed.map((p) => (p.record ? `r${p.record.seq}` : `c${p.checkpoint!.seq}`))).toEqual([
      'r1',
      'c1',
      'r2',
      'r3',
      'r4',
      'c4',
    ]);
  });
});
