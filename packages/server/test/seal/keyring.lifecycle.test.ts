import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DevFileSeal, Keyring } from '../../src/seal/index.js';
import { asyncCodeOf, codeOf, isZeroFilled, tempDir } from './helpers.js';

describe('Keyring lifecycle', () => {
  let seal: DevFileSeal;
  let otherSeal: DevFileSeal;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const temp = await tempDir();
    cleanup = temp.cleanup;
    seal = await DevFileSeal.create(join(temp.dir, 'root.key'));
    otherSeal = await DevFileSeal.create(join(temp.dir, 'other.key'));
  });
  afterAll(async () => {
    seal.close();
    otherSeal.close();
    await cleanup();
  });

  it('starts sealed, and initialize() leaves it unsealed', async () => {
    const keyring = new Keyring();
    expect(keyring.sealed).toBe(true);
    const wrapped = await keyring.initialize(seal);
    expect(keyring.sealed).toBe(false);
    expect(wrapped.length).toBeGreaterThan(32);
    expect(await asyncCodeOf(() => keyring.initialize(seal))).toBe('INVALID_STATE');
  });

  it('unseals from the stored blob with the same domain key id', async () => {
    const first = new Keyring();
    const stored = await first.initialize(seal);
    const id = first.domainKeyId();
    expect(id).toMatch(/^[0-9a-f]{32}$/);

    const second = new Keyring();
    await second.unseal(seal, stored);
    expect(second.domainKeyId()).toBe(id);
    const material = Buffer.alloc(32, 9);
    const wrapped = first.wrapVersion('k', 1, material);
    expect(second.withVersion('k', 1, wrapped, (m) => m.equals(material))).toBe(true);
  });

  it('gives another domain key another id', async () => {
    const a = new Keyring();
    const b = new Keyring();
    await a.initialize(seal);
    await b.initialize(seal);
    expect(a.domainKeyId()).not.toBe(b.domainKeyId());
  });

  it('stays sealed when the root of trust is wrong (INVALID_INPUT)', async () => {
    const stored = await new Keyring().initialize(seal);
    const keyring = new Keyring();
    expect(await asyncCodeOf(() => keyring.unseal(otherSeal, stored))).toBe('INVALID_INPUT');
    expect(keyring.sealed).toBe(true);
  });

  it('after seal(), every operation throws SEALED and handed-out material is zero-filled', async () => {
    const keyring = new Keyring();
    const stored = await keyring.initialize(seal);
    const wrapped = keyring.wrapVersion('k', 1, Buffer.alloc(32, 5));
    const secret = keyring.wrapSecret('backup', Buffer.from('s3cret'));
    // Test-only: holding the cache's buffer past `use` is exactly what callers must not do.
    const held = keyring.withVersion('k', 1, wrapped, (m) => m);
    expect(isZeroFilled(held)).toBe(false);

    keyring.seal();
    expect(keyring.sealed).toBe(true);
    expect(isZeroFilled(held)).toBe(true);
    const operations: (() => unknown)[] = [
      () => keyring.domainKeyId(),
      () => keyring.wrapVersion('k', 2, Buffer.alloc(32)),
      () => keyring.withVersion('k', 1, wrapped, () => 0),
      () => {
        keyring.forgetKey('k');
      },
      () => keyring.wrapSecret('backup', Buffer.from('x')),
      () => keyring.unwrapSecret('backup', secret),
    ];
    for (const operation of operations) expect(codeOf(operation)).toBe('SEALED');
    keyring.seal(); // idempotent

    await keyring.unseal(seal, stored);
    expect(keyring.unwrapSecret('backup', secret).bytes.toString()).toBe('s3cret');
  });

  it('refuses a zero or fractional cache size', () => {
    expect(codeOf(() => new Keyring({ cacheSize: 0 }))).toBe('INVALID_INPUT');
    expect(codeOf(() => new Keyring({ cacheSize: 1.5 }))).toBe('INVALID_INPUT');
  });
});
