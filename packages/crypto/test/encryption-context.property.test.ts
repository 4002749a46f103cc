/**
 * Properties of the canonical encryption-context encoding (src/encryption-context.ts,
 * docs/formats.md): order independence, injectivity, the exact layout, and its limits.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type EncryptionContext, canonicalContext } from '../src/encryption-context.js';

const RUNS = 300;

const contextArb: fc.Arbitrary<EncryptionContext> = fc.dictionary(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 24 }),
  { maxKeys: 8 },
);

/**
 * An independent decoder of `count:u16 ‖ (keyLen:u16 ‖ key ‖ valueLen:u16 ‖ value)*`. Its
 * existence as a left inverse is what makes the encoding injective; it also checks that keys
 * come strictly sorted by their UTF-8 bytes and that nothing trails the last entry.
 */
function decodeContext(bytes: Buffer): Record<string, string> {
  let offset = 0;
  const take = (length: number): Buffer => {
    if (offset + length > bytes.length) throw new Error('truncated');
    const out = bytes.subarray(offset, offset + length);
    offset += length;
    return out;
  };
  const count = take(2).readUInt16BE();
  const entries: [string, string][] = [];
  let previous: Buffer | undefined;
  for (let i = 0; i < count; i++) {
    const key = take(take(2).readUInt16BE());
    const value = take(take(2).readUInt16BE());
    if (previous !== undefined && Buffer.compare(previous, key) >= 0) throw new Error('unsorted');
    previous = key;
    entries.push([key.toString('utf8'), value.toString('utf8')]);
  }
  if (offset !== bytes.length) throw new Error('trailing bytes');
  return Object.fromEntries(entries);
}

function sameContext(a: EncryptionContext, b: EncryptionContext): boolean {
  const ka = Object.keys(a);
  return (
    ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && a[k] === b[k])
  );
}

describe('canonicalContext', () => {
  it('encodes the empty context, and no context, as two zero bytes', () => {
    expect(canonicalContext({}).toString('hex')).toBe('0000');
    expect(canonicalContext(undefined).toString('hex')).toBe('0000');
  });

  it('has the documented layout', () => {
    expect(canonicalContext({ b: '2', a: '1' }).toString('hex')).toBe(
      '0002' + '0001' + '61' + '0001' + '31' + '0001' + '62' + '0001' + '32',
    );
    expect(canonicalContext({ tenant: 'acme', purpose: 'docs' }).toString('hex')).toBe(
      '0002' +
        '0007' +
        Buffer.from('purpose').toString('hex') +
        '0004' +
        Buffer.from('docs').toString('hex') +
        '0006' +
        Buffer.from('tenant').toString('hex') +
        '0004' +
        Buffer.from('acme').toString('hex'),
    );
    expect(canonicalContext({ k: '' }).toString('hex')).toBe('0001' + '0001' + '6b' + '0000');
  });

  it('sorts by UTF-8 bytes, not by UTF-16 code units', () => {
    // U+FF61 is EF BD A1 in UTF-8; U+1F600 is F0 9F 98 80 but sorts first in UTF-16 (D83D DE00).
    const halfwidth = '\uff61';
    const emoji = '\u{1f600}';
    expect([halfwidth, emoji].sort()).toEqual([emoji, halfwidth]);
    const decoded = Object.keys(
      decodeContext(canonicalContext({ [emoji]: 'e', [halfwidth]: 'h' })),
    );
    expect(decoded).toEqual([halfwidth, emoji]);
  });

  it('measures lengths in UTF-8 bytes', () => {
    const bytes = canonicalContext({ é: '€' });
    expect(bytes.toString('hex')).toBe('0001' + '0002' + 'c3a9' + '0003' + 'e282ac');
  });

  it('decodes back to the same context (so distinct contexts never share bytes)', () => {
    fc.assert(
      fc.property(contextArb, (context) => {
        expect(sameContext(decodeContext(canonicalContext(context)), context)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('does not depend on insertion order', () => {
    const permuted = contextArb.chain((context) => {
      const entries = Object.entries(context);
      return fc.tuple(
        fc.constant(context),
        fc.shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length }),
      );
    });
    fc.assert(
      fc.property(permuted, ([context, entries]) => {
        expect(
          canonicalContext(Object.fromEntries(entries)).equals(canonicalContext(context)),
        ).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('gives different bytes for different contexts', () => {
    fc.assert(
      fc.property(contextArb, contextArb, (a, b) => {
        fc.pre(!sameContext(a, b));
        expect(canonicalContext(a).equals(canonicalContext(b))).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it('gives different bytes when one entry is added, removed or changed', () => {
    const keyArb = fc.string({ unit: 'binary', minLength: 1, maxLength: 12 });
    const valueArb = fc.string({ unit: 'binary', maxLength: 24 });
    fc.assert(
      fc.property(contextArb, keyArb, valueArb, (context, k, v) => {
        const base = canonicalContext(context);
        const setTo = Object.fromEntries([
          ...Object.entries(context).filter(([x]) => x !== k),
          [k, v],
        ]);
        const without = Object.fromEntries(Object.entries(context).filter(([x]) => x !== k));
        if (!sameContext(setTo, context)) expect(canonicalContext(setTo).equals(base)).toBe(false);
        if (!sameContext(without, context)) {
          expect(canonicalContext(without).equals(base)).toBe(false);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('keeps apart contexts that only move bytes between key and value or between entries', () => {
    const pairs: [EncryptionContext, EncryptionContext][] = [
      [{ a: 'bc' }, { ab: 'c' }],
      [{ a: '' }, { a: '\0' }],
      [{ a: 'b', c: 'd' }, { a: 'b\u0000\u0001c\u0000\u0001d' }],
      [{ ab: '' }, { a: '', b: '' }],
    ];
    for (const [a, b] of pairs) {
      expect(canonicalContext(a).equals(canonicalContext(b))).toBe(false);
    }
  });

  it('rejects an empty key as INVALID_INPUT', () => {
    expect(() => canonicalContext({ '': 'value' })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    expect(() => canonicalContext({ a: '1', '': '' })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });

  it('accepts keys and values of 65535 UTF-8 bytes and rejects 65536', () => {
    const max = 'k'.repeat(0xffff);
    expect(canonicalContext({ [max]: max }).length).toBe(2 + 2 + 0xffff + 2 + 0xffff);
    for (const context of [
      { ['k'.repeat(0x10000)]: 'v' },
      { k: 'v'.repeat(0x10000) },
      // 32768 two-byte characters: short in UTF-16, over the limit in UTF-8.
      { k: 'é'.repeat(0x8000) },
      { ['é'.repeat(0x8000)]: 'v' },
    ]) {
      expect(() => canonicalContext(context)).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT' }),
      );
    }
  });

  it('accepts 65535 entries and rejects 65536', () => {
    const entries = (n: number): EncryptionContext =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, '']));
    expect(canonicalContext(entries(0xffff)).readUInt16BE(0)).toBe(0xffff);
    expect(() => canonicalContext(entries(0x10000))).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });

  // Buffer.from(s, 'utf8') turns every lone surrogate into U+FFFD, so { '\ud800': 'x' } and
  // { '\udc00': 'x' } would encode alike and a ciphertext made under one decrypt under the other.
  it('rejects ill-formed UTF-16 (lone surrogates) rather than collapsing it', () => {
    const contexts: Record<string, string>[] = [
      { '\ud800': 'x' },
      { '\udc00': 'x' },
      { k: 'a\udfffb' },
    ];
    for (const context of contexts) {
      expect(() => canonicalContext(context)).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT' }),
      );
    }
  });
});
