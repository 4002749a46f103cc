/**
 * Properties of ciphertext format v1 (src/ciphertext.ts, docs/formats.md): round trips, and the
 * uniform INVALID_CIPHERTEXT for every kind of damage, wrong context and wrong key.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CIPHERTEXT_HEADER_LENGTH,
  CIPHERTEXT_OVERHEAD,
  decryptCiphertext,
  encryptCiphertext,
  parseCiphertext,
} from '../src/ciphertext.js';
import type { EncryptionContext } from '../src/encryption-context.js';
import { CryptoError, DECRYPTION_FAILED } from '../src/errors.js';

const RUNS = 200;
const KEY = randomBytes(32);
const KEY_ID = '6f1c2a3e-4b5d-4c7e-8f90-a1b2c3d4e5f6';

const contextArb: fc.Arbitrary<EncryptionContext> = fc.dictionary(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 24 }),
  { maxKeys: 6 },
);
const plaintextArb = fc.uint8Array({ maxLength: 4096 });
const refArb = fc.record({ keyId: fc.uuid(), keyVersion: fc.integer({ min: 1, max: 0xffffffff }) });

/** The error code decryption ends with, or 'OK' if it succeeded. */
function decryptOutcome(key: Uint8Array, blob: Uint8Array, context?: EncryptionContext): string {
  try {
    decryptCiphertext(key, parseCiphertext(blob), context);
    return 'OK';
  } catch (error) {
    return error instanceof CryptoError ? error.code : `not a CryptoError: ${String(error)}`;
  }
}

function withoutByte(blob: Buffer, index: number): Buffer {
  return Buffer.concat([blob.subarray(0, index), blob.subarray(index + 1)]);
}

function flipBit(blob: Buffer, bit: number): Buffer {
  const copy = Buffer.from(blob);
  copy[bit >> 3]! ^= 1 << (bit & 7);
  return copy;
}

describe('ciphertext v1 round trip', () => {
  it('decrypts what it encrypts and parses back the key id and version', () => {
    fc.assert(
      fc.property(plaintextArb, contextArb, refArb, (plaintext, context, ref) => {
        const blob = encryptCiphertext(KEY, ref, plaintext, context);
        expect(blob.length).toBe(plaintext.length + CIPHERTEXT_OVERHEAD);
        const parsed = parseCiphertext(blob);
        expect(parsed.header).toEqual({
          formatVersion: 1,
          algorithm: 'AES_256_GCM',
          keyId: ref.keyId,
          keyVersion: ref.keyVersion,
        });
        expect(decryptCiphertext(KEY, parsed, context).equals(plaintext)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('treats an absent context as the empty context', () => {
    const blob = encryptCiphertext(KEY, { keyId: KEY_ID, keyVersion: 1 }, Buffer.from('x'));
    expect(decryptCiphertext(KEY, parseCiphertext(blob), {}).toString()).toBe('x');
    const withEmpty = encryptCiphertext(
      KEY,
      { keyId: KEY_ID, keyVersion: 1 },
      Buffer.from('y'),
      {},
    );
    expect(decryptCiphertext(KEY, parseCiphertext(withEmpty)).toString()).toBe('y');
  });

  it('does not depend on the order of the context entries', () => {
    const entriesArb = contextArb.chain((context) => {
      const entries = Object.entries(context);
      return fc.tuple(
        fc.constant(context),
        fc.shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length }),
      );
    });
    fc.assert(
      fc.property(plaintextArb, entriesArb, (plaintext, [context, shuffled]) => {
        const blob = encryptCiphertext(KEY, { keyId: KEY_ID, keyVersion: 2 }, plaintext, context);
        const reordered = Object.fromEntries(shuffled);
        expect(decryptCiphertext(KEY, parseCiphertext(blob), reordered).equals(plaintext)).toBe(
          true,
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('uses a fresh IV each time, so equal inputs give different blobs', () => {
    const ref = { keyId: KEY_ID, keyVersion: 1 };
    const a = encryptCiphertext(KEY, ref, Buffer.from('same'), { k: 'v' });
    const b = encryptCiphertext(KEY, ref, Buffer.from('same'), { k: 'v' });
    expect(a.subarray(0, 22).equals(b.subarray(0, 22))).toBe(true);
    expect(a.subarray(22, CIPHERTEXT_HEADER_LENGTH).equals(b.subarray(22, 34))).toBe(false);
    expect(a.equals(b)).toBe(false);
  });
});

describe('ciphertext v1 damage is INVALID_CIPHERTEXT', () => {
  it('rejects any single bit flip', () => {
    fc.assert(
      fc.property(
        plaintextArb,
        contextArb,
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (plaintext, context, where) => {
          const blob = encryptCiphertext(KEY, { keyId: KEY_ID, keyVersion: 9 }, plaintext, context);
          const bit = Math.floor(where * blob.length * 8);
          expect(decryptOutcome(KEY, flipBit(blob, bit), context)).toBe('INVALID_CIPHERTEXT');
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('rejects every single bit flip of one blob, exhaustively', () => {
    const context = { tenant: 'acme' };
    const blob = encryptCiphertext(KEY, { keyId: KEY_ID, keyVersion: 3 }, randomBytes(24), context);
    for (let bit = 0; bit < blob.length * 8; bit++) {
      expect(decryptOutcome(KEY, flipBit(blob, bit), context), `bit ${bit}`).toBe(
        'INVALID_CIPHERTEXT',
      );
    }
  });

  it('rejects every proper prefix', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 96 }), contextArb, (plaintext, context) => {
        const blob = encryptCiphertext(KEY, { keyId: KEY_ID, keyVersion: 1 }, plaintext, context);
        for (let length = 0; length < blob.length; length++) {
          expect(decryptOutcome(KEY, blob.subarray(0, length), context), `prefix ${length}`).toBe(
            'INVALID_CIPHERTEXT',
          );
        }
      }),
      { numRuns: 50 },
    );
  });

  it('rejects every proper prefix of a 4 KiB blob', () => {
    const blob = encryptCiphertext(KEY, { keyId: KEY_ID, keyVersion: 1 }, randomBytes(4096));
    for (let length = 0; length < blob.length; length++) {
      expect(decryptOutcome(KEY, blob.subarray(0, length)), `prefix ${length}`).toBe(
        'INVALID_CIPHERTEXT',
      );
    }
  });

  it('rejects a random proper prefix of any blob', () => {
    fc.assert(
      fc.property(
        plaintextArb,
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (plaintext, where) => {
          const blob = encryptCiphertext(KEY, { keyId: KEY_ID, keyVersion: 1 }, plaintext);
          const length = Math.floor(where * blob.length);
          expect(decryptOutcome(KEY, blob.subarray(0, length))).toBe('INVALID_CIPHERTEXT');
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('rejects the removal of any one byte', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), contextArb, (plaintext, context) => {
        const blob = encryptCiphertext(KEY, { keyId: KEY_ID, keyVersion: 5 }, plaintext, context);
        for (let index = 0; index < blob.length; index++) {
          expect(decryptOutcome(KEY, withoutByte(blob, index), context), `byte ${index}`).toBe(
            'INVALID_CIPHERTEXT',
          );
        }
      }),
      { numRuns: 50 },
    );
  });

  it('rejects an appended byte', () => {
    fc.assert(
      fc.property(plaintextArb, fc.integer({ min: 0, max: 255 }), (plaintext, extra) => {
        const blob = encryptCiphertext(KEY, { keyId: KEY_ID, keyVersion: 5 }, plaintext);
        const longer = Buffer.concat([blob, Buffer.of(extra)]);
        expect(decryptOutcome(KEY, longer)).toBe('INVALID_CIPHERTEXT');
      }),
      { numRuns: RUNS },
    );
  });

  it('rejects an unknown format version or algorithm, and key version 0, when parsing', () => {
    const blob = encryptCiphertext(KEY, { keyId: KEY_ID, keyVersion: 1 }, Buffer.from('x'));
    for (const [offset, value] of [
      [0, 0x00],
      [0, 0x02],
      [0, 0xff],
      [1, 0x00],
      [1, 0x04],
      [1, 0xff],
    ] as const) {
      const bad = Buffer.from(blob);
      bad[offset] = value;
      expect(() => parseCiphertext(bad)).toThrow(
        expect.objectContaining({ code: 'INVALID_CIPHERTEXT' }),
      );
    }
    const zeroVersion = Buffer.from(blob);
    zeroVersion.writeUInt32BE(0, 18);
    expect(() => parseCiphertext(zeroVersion)).toThrow(
      expect.objectContaining({ code: 'INVALID_CIPHERTEXT' }),
    );
  });
});

describe('ciphertext v1 is bound to its context and key', () => {
  const keyArb = fc.string({ unit: 'binary', minLength: 1, maxLength: 12 });
  const valueArb = fc.string({ unit: 'binary', maxLength: 24 });

  it('rejects a context with an added entry', () => {
    fc.assert(
      fc.property(plaintextArb, contextArb, keyArb, valueArb, (plaintext, context, k, v) => {
        fc.pre(!Object.hasOwn(context, k));
        const blob = encryptCiphertext(KEY, { keyId: KEY_ID, keyVersion: 1 }, plaintext, context);
        const added = Object.fromEntries([...Object.entries(context), [k, v]]);
        expect(decryptOutcome(KEY, blob, added)).toBe('INVALID_CIPHERTEXT');
      }),
      { numRuns: RUNS },
    );
  });

  it('rejects a context with a removed entry', () => {
    fc.assert(
      fc.property(
        plaintextArb,
        contextArb.filter((c) => Object.keys(c).length > 0),
        fc.nat(),
        (plaintext, context, pick) => {
          const blob = encryptCiphertext(KEY, { keyId: KEY_ID, keyVersion: 1 }, plaintext, context);
          const entries = Object.entries(context);
          entries.splice(pick % entries.length, 1);
          expect(decryptOutcome(KEY, blob, Object.fromEntries(entries))).toBe('INVALID_CIPHERTEXT');
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('rejects a context with a changed value or a renamed key', () => {
    fc.assert(
      fc.property(
        plaintextArb,
        contextArb.filter((c) => Object.keys(c).length > 0),
        fc.nat(),
        keyArb,
        valueArb,
        (plaintext, context, pick, newKey, newValue) => {
          const blob = encryptCiphertext(KEY, { keyId: KEY_ID, keyVersion: 1 }, plaintext, context);
          const entries = Object.entries(context);
          const [oldKey, oldValue] = entries[pick % entries.length]!;
          if (newValue !== oldValue) {
            const changed = Object.fromEntries(
              entries.map(([k, v]) => [k, k === oldKey ? newValue : v]),
            );
            expect(decryptOutcome(KEY, blob, changed)).toBe('INVALID_CIPHERTEXT');
          }
          if (!Object.hasOwn(context, newKey)) {
            const renamed = Object.fromEntries(
              entries.map(([k, v]) => [k === oldKey ? newKey : k, v]),
            );
            expect(decryptOutcome(KEY, blob, renamed)).toBe('INVALID_CIPHERTEXT');
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('rejects a wrong key of the right length', () => {
    fc.assert(
      fc.property(
        plaintextArb,
        contextArb,
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (plaintext, context, otherKey) => {
          fc.pre(!KEY.equals(otherKey));
          const blob = encryptCiphertext(KEY, { keyId: KEY_ID, keyVersion: 1 }, plaintext, context);
          expect(decryptOutcome(otherKey, blob, context)).toBe('INVALID_CIPHERTEXT');
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('rejects a decryption key of the wrong length as INVALID_CIPHERTEXT', () => {
    const blob = encryptCiphertext(KEY, { keyId: KEY_ID, keyVersion: 1 }, Buffer.from('x'));
    for (const length of [0, 16, 24, 31, 33, 64]) {
      expect(decryptOutcome(Buffer.concat([KEY, KEY]).subarray(0, length), blob)).toBe(
        'INVALID_CIPHERTEXT',
      );
      expect(decryptOutcome(Buffer.alloc(length, 1), blob)).toBe('INVALID_CIPHERTEXT');
    }
  });

  it('rejects a header re-labelled with another key id or version', () => {
    const blob = encryptCiphertext(KEY, { keyId: KEY_ID, keyVersion: 1 }, Buffer.from('secret'));
    const otherId = Buffer.from(blob);
    otherId[17] = otherId[17]! ^ 0x01;
    expect(parseCiphertext(otherId).header.keyId).not.toBe(KEY_ID);
    expect(decryptOutcome(KEY, otherId)).toBe('INVALID_CIPHERTEXT');
    const otherVersion = Buffer.from(blob);
    otherVersion.writeUInt32BE(2, 18);
    expect(parseCiphertext(otherVersion).header.keyVersion).toBe(2);
    expect(decryptOutcome(KEY, otherVersion)).toBe('INVALID_CIPHERTEXT');
  });
});

describe('ciphertext v1 confidentiality of errors and output', () => {
  it('never contains a random plaintext of 4 bytes or more', () => {
    const randomPlaintext = fc.noBias(fc.uint8Array({ minLength: 4, maxLength: 4096 }));
    fc.assert(
      fc.property(randomPlaintext, (plaintext) => {
        const blob = encryptCiphertext(KEY, { keyId: KEY_ID, keyVersion: 1 }, plaintext);
        expect(blob.includes(Buffer.from(plaintext))).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it('fails with the one uniform message, which never contains the plaintext or context', () => {
    // A marker prefix keeps a short random string from matching stack-trace text by chance.
    const textArb = fc
      .string({ unit: 'binary', minLength: 4, maxLength: 64 })
      .map((s) => `secret-${s}`);
    fc.assert(
      fc.property(
        textArb,
        textArb,
        fc.integer({ min: 0, max: 2 }),
        (plaintext, secretValue, damage) => {
          const context = { secret: secretValue };
          const blob = encryptCiphertext(
            KEY,
            { keyId: KEY_ID, keyVersion: 1 },
            Buffer.from(plaintext, 'utf8'),
            context,
          );
          const broken = [
            () =>
              decryptCiphertext(KEY, parseCiphertext(flipBit(blob, blob.length * 8 - 1)), context),
            () => decryptCiphertext(randomBytes(32), parseCiphertext(blob), context),
            () => decryptCiphertext(KEY, parseCiphertext(blob), { secret: `${secretValue}!` }),
          ][damage]!;
          let caught: unknown;
          try {
            broken();
          } catch (error) {
            caught = error;
          }
          expect(caught).toBeInstanceOf(CryptoError);
          const error = caught as CryptoError;
          expect(error.code).toBe('INVALID_CIPHERTEXT');
          expect(error.message).toBe(DECRYPTION_FAILED);
          for (const text of [error.message, String(error), error.stack ?? '']) {
            expect(text.includes(plaintext)).toBe(false);
            expect(text.includes(secretValue)).toBe(false);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('ciphertext v1 header encoding', () => {
  it('rejects key ids that are not lowercase UUIDs, and versions outside 1..2^32-1', () => {
    const plaintext = Buffer.from('x');
    for (const keyId of ['', 'not-a-uuid', KEY_ID.toUpperCase(), KEY_ID.replaceAll('-', '')]) {
      expect(() => encryptCiphertext(KEY, { keyId, keyVersion: 1 }, plaintext)).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT' }),
      );
    }
    for (const keyVersion of [0, -1, 1.5, 2 ** 32, Number.NaN]) {
      expect(() => encryptCiphertext(KEY, { keyId: KEY_ID, keyVersion }, plaintext)).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT' }),
      );
    }
    expect(
      parseCiphertext(encryptCiphertext(KEY, { keyId: KEY_ID, keyVersion: 2 ** 32 - 1 }, plaintext))
        .header.keyVersion,
    ).toBe(2 ** 32 - 1);
  });

  it('rejects an encryption key of the wrong length for its cipher as INVALID_KEY', () => {
    const ref = { keyId: KEY_ID, keyVersion: 1 };
    for (const length of [0, 15, 17, 32]) {
      expect(() =>
        encryptCiphertext(Buffer.alloc(length), ref, Buffer.from('x'), undefined, {
          cipher: 'AES_128_GCM',
        }),
      ).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }));
    }
    for (const length of [0, 16, 31, 33]) {
      expect(() =>
        encryptCiphertext(Buffer.alloc(length), ref, Buffer.from('x'), undefined, {
          cipher: 'CHACHA20_POLY1305',
        }),
      ).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }));
    }
  });

  it('rejects an encryption key that is not 32 bytes as INVALID_KEY', () => {
    for (const length of [0, 16, 24, 31, 33]) {
      expect(() =>
        encryptCiphertext(Buffer.alloc(length), { keyId: KEY_ID, keyVersion: 1 }, Buffer.from('x')),
      ).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }));
    }
  });

  it('decrypts the worked example of docs/formats.md', () => {
    // Fixed so that the documented bytes stay true: a change to the format breaks this test.
    const key = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
    const blob = Buffer.from(
      '0101' +
        '6f1c2a3e4b5d4c7e8f90a1b2c3d4e5f6' +
        '00000007' +
        'cafebabefacedbaddecaf888' +
        'e2c6cc4ac5566f78337829b208' +
        '36742270e74ef9534c5d3a31ab42944d',
      'hex',
    );
    const parsed = parseCiphertext(blob);
    expect(parsed.header.keyId).toBe(KEY_ID);
    expect(parsed.header.keyVersion).toBe(7);
    expect(parsed.iv.toString('hex')).toBe('cafebabefacedbaddecaf888');
    const context = { tenant: 'acme', purpose: 'docs' };
    expect(decryptCiphertext(key, parsed, context).toString('utf8')).toBe('hello, custos');
    expect(decryptOutcome(key, blob, { tenant: 'acme' })).toBe('INVALID_CIPHERTEXT');
  });
});
