import * as nodeCrypto from 'node:crypto';
import type * as NodeCrypto from 'node:crypto';
import { SecretBytes } from '@custos/crypto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { PassphraseSeal } from '../../src/seal/index.js';
import { asyncCodeOf, codeOf } from './helpers.js';

// Counts derivations, so that refusing hostile parameters is shown to happen before scrypt runs.
vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof NodeCrypto>();
  return { ...original, scrypt: vi.fn(original.scrypt) };
});

const passphrase = (text: string): SecretBytes => SecretBytes.copyOf(Buffer.from(text, 'utf8'));

describe('PassphraseSeal', () => {
  const domainKey = SecretBytes.random(32);
  let wrapped: Buffer;
  beforeAll(async () => {
    wrapped = await new PassphraseSeal(passphrase('correct horse battery staple')).wrap(domainKey);
  });

  it('unwraps what it wrapped, taking the passphrase as bytes or a string', async () => {
    const unwrapped = await new PassphraseSeal('correct horse battery staple').unwrap(wrapped);
    expect(unwrapped.equals(domainKey)).toBe(true);
  });

  it('stores the format version, log2(N) = 17, r = 8, p = 1 and a salt in an 80-byte blob', () => {
    expect(wrapped.length).toBe(80);
    expect([...wrapped.subarray(0, 4)]).toEqual([1, 17, 8, 1]);
  });

  it('fails a wrong passphrase with INVALID_INPUT "unseal failed"', async () => {
    const error: unknown = await new PassphraseSeal(passphrase('wrong horse'))
      .unwrap(wrapped)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_INPUT', message: 'unseal failed' });
  });

  it('derives with the parameters stored in the blob, not the instance default', async () => {
    const seal = new PassphraseSeal(passphrase('correct horse battery staple'), { N: 2 ** 18 });
    expect(seal.describe().details).toMatchObject({ kdf: 'scrypt', N: 2 ** 18, r: 8, p: 1 });
    const unwrapped = await seal.unwrap(wrapped);
    expect(unwrapped.equals(domainKey)).toBe(true);
    expect(vi.mocked(nodeCrypto.scrypt)).toHaveBeenLastCalledWith(
      expect.anything(),
      expect.anything(),
      32,
      expect.objectContaining({ N: 2 ** 17, r: 8, p: 1 }),
      expect.any(Function),
    );
  });

  it('fails a blob with a tampered ciphertext or a tampered salt', async () => {
    const seal = new PassphraseSeal(passphrase('correct horse battery staple'));
    const body = Buffer.from(wrapped);
    body[40] = (body[40] ?? 0) ^ 1;
    expect(await asyncCodeOf(() => seal.unwrap(body))).toBe('INVALID_INPUT');
    const salt = Buffer.from(wrapped);
    salt[10] = (salt[10] ?? 0) ^ 1;
    expect(await asyncCodeOf(() => seal.unwrap(salt))).toBe('INVALID_INPUT');
  });

  it.each([
    ['N = 2^30', 1, 30],
    ['N = 2^10', 1, 10],
    ['r = 255', 2, 255],
    ['p = 0', 3, 0],
    ['format version 2', 0, 2],
  ])('refuses a blob with %s before deriving anything', async (_name, offset, value) => {
    const hostile = Buffer.from(wrapped);
    hostile[offset] = value;
    const scrypt = vi.mocked(nodeCrypto.scrypt);
    scrypt.mockClear();
    const seal = new PassphraseSeal(passphrase('correct horse battery staple'));
    expect(await asyncCodeOf(() => seal.unwrap(hostile))).toBe('INVALID_INPUT');
    expect(scrypt).not.toHaveBeenCalled();
  });

  it('refuses a truncated blob', async () => {
    const seal = new PassphraseSeal(passphrase('x'));
    expect(await asyncCodeOf(() => seal.unwrap(wrapped.subarray(0, 79)))).toBe('INVALID_INPUT');
  });

  it('refuses an empty passphrase and out-of-range N', () => {
    expect(codeOf(() => new PassphraseSeal(''))).toBe('INVALID_INPUT');
    expect(codeOf(() => new PassphraseSeal(SecretBytes.copyOf(Buffer.alloc(0))))).toBe(
      'INVALID_INPUT',
    );
    expect(codeOf(() => new PassphraseSeal('pw', { N: 2 ** 16 }))).toBe('INVALID_INPUT');
    expect(codeOf(() => new PassphraseSeal('pw', { N: 2 ** 17 + 1 }))).toBe('INVALID_INPUT');
    expect(codeOf(() => new PassphraseSeal('pw', { N: 2 ** 23 }))).toBe('INVALID_INPUT');
  });

  it('keeps its own copy of the passphrase and is unusable after zero()', async () => {
    const callers = passphrase('correct horse battery staple');
    const seal = new PassphraseSeal(callers);
    callers.zero();
    seal.zero();
    expect(await asyncCodeOf(() => seal.unwrap(wrapped))).toBe('SEALED');
    expect(await asyncCodeOf(() => seal.wrap(domainKey))).toBe('SEALED');
  });
});
