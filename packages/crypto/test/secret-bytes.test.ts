/**
 * SecretBytes: ownership, zeroization, and that serialisation and inspection never show the bytes.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SecretBytes, zeroize } from '../src/index.js';

// A recognisable pattern: if any rendering shows the bytes, one of these forms appears.
const PATTERN = Buffer.from(
  'c0ffee00deadbeef5ec12e7c0ffee00deadbeef5ec12e7c0ffee00deadbeef5e',
  'hex',
);

function leaks(text: string): boolean {
  const lower = text.toLowerCase();
  return (
    lower.includes('c0 ff ee') ||
    lower.includes('c0ffee') ||
    text.includes(PATTERN.toString('base64').slice(0, 12)) ||
    text.includes('192, 255, 238') ||
    text.includes('192,255,238')
  );
}

describe('SecretBytes holders', () => {
  it('random(n) gives n fresh bytes', () => {
    const a = SecretBytes.random(32);
    const b = SecretBytes.random(32);
    expect(a.length).toBe(32);
    expect(a.bytes.length).toBe(32);
    expect(a.equals(b)).toBe(false);
    expect(SecretBytes.random(0).length).toBe(0);
  });

  it('adopt() takes ownership: zero() wipes the caller’s buffer', () => {
    const buffer = Buffer.from(PATTERN);
    const secret = SecretBytes.adopt(buffer);
    expect(secret.bytes).toBe(buffer);
    secret.zero();
    expect(buffer.every((b) => b === 0)).toBe(true);
  });

  it('copyOf() copies: the source is neither aliased nor wiped', () => {
    const source = Buffer.from(PATTERN);
    const secret = SecretBytes.copyOf(source);
    expect(secret.bytes.equals(source)).toBe(true);
    source[0] = 0;
    expect(secret.bytes[0]).toBe(0xc0);
    secret.zero();
    expect(source.subarray(1).equals(PATTERN.subarray(1))).toBe(true);
  });

  it('clone() is independent of the original', () => {
    const original = SecretBytes.copyOf(PATTERN);
    const clone = original.clone();
    expect(clone.equals(original)).toBe(true);
    original.zero();
    expect(clone.bytes.equals(PATTERN)).toBe(true);
    expect(clone.isZeroed).toBe(false);
  });

  it('equals() compares contents, and unequal lengths are simply unequal', () => {
    const a = SecretBytes.copyOf(PATTERN);
    expect(a.equals(SecretBytes.copyOf(PATTERN))).toBe(true);
    expect(a.equals(SecretBytes.copyOf(PATTERN.subarray(1)))).toBe(false);
    const flipped = Buffer.from(PATTERN);
    flipped[31]! ^= 1;
    expect(a.equals(SecretBytes.copyOf(flipped))).toBe(false);
  });
});

describe('SecretBytes zeroization', () => {
  it('zero() overwrites the buffer and later access to .bytes throws ZEROIZED', () => {
    const secret = SecretBytes.copyOf(PATTERN);
    const view = secret.bytes;
    secret.zero();
    expect(view.every((b) => b === 0)).toBe(true);
    expect(secret.isZeroed).toBe(true);
    expect(secret.length).toBe(32);
    expect(() => secret.bytes).toThrow(expect.objectContaining({ code: 'ZEROIZED' }));
  });

  it('refuses clone() and equals() once zeroed, as ZEROIZED', () => {
    const secret = SecretBytes.copyOf(PATTERN);
    const other = SecretBytes.copyOf(PATTERN);
    secret.zero();
    expect(() => secret.clone()).toThrow(expect.objectContaining({ code: 'ZEROIZED' }));
    expect(() => secret.equals(other)).toThrow(expect.objectContaining({ code: 'ZEROIZED' }));
    expect(() => other.equals(secret)).toThrow(expect.objectContaining({ code: 'ZEROIZED' }));
  });

  it('zero() can be called again', () => {
    const secret = SecretBytes.random(16);
    secret.zero();
    expect(() => {
      secret.zero();
    }).not.toThrow();
    expect(secret.isZeroed).toBe(true);
  });

  it('zeroize() wipes every buffer given and skips undefined', () => {
    const a = Buffer.from(PATTERN);
    const b = new Uint8Array(PATTERN);
    zeroize(a, undefined, b);
    expect(a.every((x) => x === 0)).toBe(true);
    expect(b.every((x) => x === 0)).toBe(true);
  });
});

describe('SecretBytes never shows its bytes', () => {
  const secret = SecretBytes.copyOf(PATTERN);

  it('serialises to JSON as [redacted]', () => {
    expect(JSON.stringify(secret)).toBe('"[redacted]"');
    expect(JSON.stringify({ dataKey: secret })).toBe('{"dataKey":"[redacted]"}');
  });

  it('renders as a string with its length only', () => {
    expect(String(secret)).toBe('SecretBytes(32)');
  });

  it('is hidden from util.inspect, also when nested, deep or with hidden members', () => {
    expect(inspect(secret)).toBe('SecretBytes(32)');
    for (const text of [
      inspect({ nested: { secret } }),
      inspect([secret], { depth: Infinity }),
      inspect(secret, { showHidden: true }),
      inspect(secret, { customInspect: false, showHidden: true, depth: Infinity }),
    ]) {
      expect(text).not.toSatisfy(leaks);
    }
  });

  it('has no own properties that could carry the bytes', () => {
    expect(Object.getOwnPropertyNames(secret)).toEqual([]);
    expect(Object.getOwnPropertySymbols(secret)).toEqual([]);
  });

  it('the leak detector itself sees raw renderings', () => {
    expect(inspect(PATTERN)).toSatisfy(leaks);
    expect(JSON.stringify(PATTERN)).toSatisfy(leaks);
    expect(PATTERN.toString('hex')).toSatisfy(leaks);
  });
});
