import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DevFileSeal, Keyring } from '../../src/seal/index.js';
import { codeOf, isZeroFilled, tempDir } from './helpers.js';

describe('Keyring versions and secrets', () => {
  let seal: DevFileSeal;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const temp = await tempDir();
    cleanup = temp.cleanup;
    seal = await DevFileSeal.create(join(temp.dir, 'root.key'));
  });
  afterAll(async () => {
    seal.close();
    await cleanup();
  });

  async function unsealed(cacheSize?: number): Promise<Keyring> {
    const keyring = new Keyring(cacheSize === undefined ? {} : { cacheSize });
    await keyring.initialize(seal);
    return keyring;
  }

  it('serves a cached version as the same buffer', async () => {
    const keyring = await unsealed();
    const wrapped = keyring.wrapVersion('k', 1, randomBytes(32));
    const first = keyring.withVersion('k', 1, wrapped, (m) => m);
    expect(keyring.withVersion('k', 1, wrapped, (m) => m)).toBe(first);
  });

  it('evicts and zeroes the least recently used version beyond cacheSize', async () => {
    const keyring = await unsealed(2);
    const wrapped = [1, 2, 3].map((v) => keyring.wrapVersion('k', v, randomBytes(32)));
    const held = [1, 2, 3].map((v) => keyring.withVersion('k', v, wrapped[v - 1]!, (m) => m));
    expect(held.map(isZeroFilled)).toEqual([true, false, false]);
    // Evicted material is unwrapped again on demand.
    expect(keyring.withVersion('k', 1, wrapped[0]!, (m) => isZeroFilled(m))).toBe(false);
  });

  it('keeps material intact while a use callback holds it, even if a nested use evicts it', async () => {
    const keyring = await unsealed(1);
    const a = keyring.wrapVersion('a', 1, Buffer.alloc(32, 1));
    const b = keyring.wrapVersion('b', 1, Buffer.alloc(32, 2));
    const outer = keyring.withVersion('a', 1, a, (m) => {
      keyring.withVersion('b', 1, b, () => undefined);
      expect(m.equals(Buffer.alloc(32, 1))).toBe(true);
      return m;
    });
    expect(isZeroFilled(outer)).toBe(true);
  });

  it('forgetKey() zeroes only that key, even when another key id extends it', async () => {
    const keyring = await unsealed();
    const ids = ['k', 'k:1', 'other'];
    const held = ids.map((id) =>
      keyring.withVersion(id, 1, keyring.wrapVersion(id, 1, randomBytes(32)), (m) => m),
    );
    keyring.forgetKey('k');
    expect(held.map(isZeroFilled)).toEqual([true, false, false]);
  });

  it('binds wrapped material to its key id and version (INTERNAL otherwise)', async () => {
    const keyring = await unsealed();
    const wrapped = keyring.wrapVersion('key-a', 1, randomBytes(32));
    for (const [keyId, version] of [
      ['key-a', 2],
      ['key-b', 1],
    ] as const) {
      let thrown: unknown;
      try {
        keyring.withVersion(keyId, version, wrapped, () => undefined);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toMatchObject({
        code: 'INTERNAL',
        message: 'stored key material failed its integrity check',
      });
    }
  });

  it('refuses a version wrapped under another domain key', async () => {
    const wrapped = (await unsealed()).wrapVersion('k', 1, randomBytes(32));
    const other = await unsealed();
    expect(codeOf(() => other.withVersion('k', 1, wrapped, () => 0))).toBe('INTERNAL');
  });

  it('binds wrapped secrets to their purpose', async () => {
    const keyring = await unsealed();
    const wrapped = keyring.wrapSecret('access-key:AK1', Buffer.from('secret'));
    const secret = keyring.unwrapSecret('access-key:AK1', wrapped);
    expect(secret.bytes.toString()).toBe('secret');
    secret.zero();
    expect(codeOf(() => keyring.unwrapSecret('access-key:AK2', wrapped))).toBe('INTERNAL');
    expect(codeOf(() => keyring.wrapSecret('', Buffer.from('x')))).toBe('INVALID_INPUT');
  });
});
