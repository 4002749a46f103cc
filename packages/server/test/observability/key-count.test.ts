import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Metrics } from '../../src/ops/metrics.js';
import { createKey } from '../../src/service/create-key.js';
import { disableKey } from '../../src/service/enable-key.js';
import { scheduleKeyDeletion } from '../../src/service/schedule-key-deletion.js';
import { type KmsHarness, makeKms } from '../support/kms-harness.js';

let h: KmsHarness;
beforeEach(async () => {
  h = await makeKms();
});
afterEach(async () => {
  await h.close();
});

describe('keys by state', () => {
  it('counts keys per lifecycle state in one store query', async () => {
    expect(await h.store.countKeysByState()).toEqual({});
    const keys = [];
    for (let i = 0; i < 4; i += 1) keys.push(await createKey(h.ctx, { spec: 'AES_256' }));
    await createKey(h.ctx, { spec: 'AES_256', origin: 'EXTERNAL' });
    await disableKey(h.ctx, { keyId: keys[0]!.keyId });
    await scheduleKeyDeletion(h.ctx, { keyId: keys[1]!.keyId, pendingWindowDays: 7 });
    expect(await h.store.countKeysByState()).toEqual({
      Enabled: 2,
      Disabled: 1,
      PendingDeletion: 1,
      PendingImport: 1,
    });
  });

  it('feeds custos_keys and custos_sealed at scrape time', async () => {
    await createKey(h.ctx, { spec: 'AES_256' });
    const metrics = new Metrics({
      processMetrics: false,
      sealed: () => h.kms.keyring.sealed,
      countKeysByState: () => h.store.countKeysByState(),
    });
    const text = await metrics.render();
    expect(text).toContain('custos_keys{state="Enabled"} 1\n');
    expect(text).toContain('custos_keys{state="Destroyed"} 0\n');
    expect(text).toContain('custos_sealed 0\n');
  });
});
