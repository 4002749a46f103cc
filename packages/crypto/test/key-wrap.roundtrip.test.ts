/**
 * Round trips and failures of RSA-OAEP, RSA-AES key wrap (docs/formats.md) and AES-KW/KWP.
 * Known-answer vectors live in the RFC and Wycheproof test files; this file checks the
 * behaviour around them: limits, layout, and that every kind of damage is rejected.
 */
import {
  type KeyObject,
  constants,
  createDecipheriv,
  generateKeyPairSync,
  privateDecrypt,
  randomBytes,
} from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type OaepHash,
  CryptoError,
  aesKeyUnwrap,
  aesKeyUnwrapPad,
  aesKeyWrap,
  aesKeyWrapPad,
  generateKeyMaterial,
  keySpec,
  privateKeyFromPkcs8,
  rsaAesKeyUnwrap,
  rsaAesKeyWrap,
  rsaOaepDecrypt,
  rsaOaepEncrypt,
  rsaOaepMaxPlaintext,
} from '../src/index.js';

const HASHES: readonly OaepHash[] = ['SHA-1', 'SHA-224', 'SHA-256', 'SHA-384', 'SHA-512'];
const NODE_OAEP_HASH: Record<OaepHash, string> = {
  'SHA-1': 'sha1',
  'SHA-224': 'sha224',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

/** The error code `f` throws, or 'OK' if it returns. */
function outcome(f: () => unknown): string {
  try {
    f();
    return 'OK';
  } catch (error) {
    return error instanceof CryptoError ? error.code : `not a CryptoError: ${String(error)}`;
  }
}

function flipBit(bytes: Uint8Array, bit: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[bit >> 3]! ^= 1 << (bit & 7);
  return copy;
}

function rsaPair(bits: number): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 0x10001 });
}

const rsa2048 = rsaPair(2048);
const otherRsa2048 = rsaPair(2048);

describe('RSA-OAEP', () => {
  it('computes the RFC 8017 §7.1.1 limit k - 2·hLen - 2', () => {
    expect(rsaOaepMaxPlaintext(2048, 'SHA-1')).toBe(214);
    expect(rsaOaepMaxPlaintext(2048, 'SHA-256')).toBe(190);
    expect(rsaOaepMaxPlaintext(3072, 'SHA-256')).toBe(318);
    expect(rsaOaepMaxPlaintext(4096, 'SHA-1')).toBe(470);
    expect(rsaOaepMaxPlaintext(4096, 'SHA-256')).toBe(446);
    expect(rsaOaepMaxPlaintext(2048, 'SHA-224')).toBe(198);
    expect(rsaOaepMaxPlaintext(4096, 'SHA-384')).toBe(414);
    expect(rsaOaepMaxPlaintext(4096, 'SHA-512')).toBe(382);
  });

  it.each(HASHES)('%s round-trips every length up to the limit, and node decrypts it', (hash) => {
    const { privateKey, publicKey } = rsa2048;
    const max = rsaOaepMaxPlaintext(2048, hash);
    for (const length of [0, 1, 32, max - 1, max]) {
      const plaintext = randomBytes(length);
      const ciphertext = rsaOaepEncrypt(publicKey, hash, plaintext);
      expect(ciphertext.length).toBe(256);
      expect(rsaOaepDecrypt(privateKey, hash, ciphertext).equals(plaintext)).toBe(true);
      const byNode = privateDecrypt(
        {
          key: privateKey,
          padding: constants.RSA_PKCS1_OAEP_PADDING,
          oaepHash: NODE_OAEP_HASH[hash],
        },
        ciphertext,
      );
      expect(byNode.equals(plaintext)).toBe(true);
    }
  });

  it.each(HASHES)('%s refuses one byte over the limit as INVALID_INPUT', (hash) => {
    const over = randomBytes(rsaOaepMaxPlaintext(2048, hash) + 1);
    expect(() => rsaOaepEncrypt(rsa2048.publicKey, hash, over)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });

  it.each(HASHES)('%s: damage, the wrong hash or the wrong key is INVALID_CIPHERTEXT', (hash) => {
    const { privateKey, publicKey } = rsa2048;
    const ciphertext = rsaOaepEncrypt(publicKey, hash, Buffer.from('a data key'));
    const otherHash: OaepHash = hash === 'SHA-1' ? 'SHA-256' : 'SHA-1';
    for (const bit of [0, 8, 1000, 2047]) {
      expect(outcome(() => rsaOaepDecrypt(privateKey, hash, flipBit(ciphertext, bit)))).toBe(
        'INVALID_CIPHERTEXT',
      );
    }
    expect(outcome(() => rsaOaepDecrypt(privateKey, otherHash, ciphertext))).toBe(
      'INVALID_CIPHERTEXT',
    );
    expect(outcome(() => rsaOaepDecrypt(otherRsa2048.privateKey, hash, ciphertext))).toBe(
      'INVALID_CIPHERTEXT',
    );
    expect(outcome(() => rsaOaepDecrypt(privateKey, hash, ciphertext.subarray(1)))).toBe(
      'INVALID_CIPHERTEXT',
    );
    expect(outcome(() => rsaOaepDecrypt(privateKey, hash, Buffer.alloc(0)))).toBe(
      'INVALID_CIPHERTEXT',
    );
  });

  it('refuses a public key that is not RSA as INVALID_INPUT', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => rsaOaepEncrypt(ec.publicKey, 'SHA-256', Buffer.from('x'))).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });
});

describe('RSA-AES key wrap', () => {
  // An RSA-4096 private key, the material RSA-AES key wrap exists for (too long for OAEP).
  let material: Buffer;
  beforeAll(() => {
    const secret = generateKeyMaterial(keySpec('RSA_4096'));
    material = Buffer.from(secret.bytes);
    secret.zero();
  });

  it.each(HASHES)('%s round-trips an RSA-4096 PKCS#8 private key', (hash) => {
    const wrapped = rsaAesKeyWrap(rsa2048.publicKey, hash, material);
    const kwpLength = Math.ceil(material.length / 8) * 8 + 8;
    expect(wrapped.length).toBe(256 + kwpLength);
    const unwrapped = rsaAesKeyUnwrap(rsa2048.privateKey, hash, wrapped);
    try {
      expect(unwrapped.bytes.equals(material)).toBe(true);
      const key = privateKeyFromPkcs8(unwrapped.bytes);
      expect(key.asymmetricKeyDetails?.modulusLength).toBe(4096);
    } finally {
      unwrapped.zero();
    }
  });

  it('is rsaOaep(aesKey) ‖ aesKwp(material), as documented', () => {
    const wrapped = rsaAesKeyWrap(rsa2048.publicKey, 'SHA-256', material);
    const aesKey = privateDecrypt(
      { key: rsa2048.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      wrapped.subarray(0, 256),
    );
    expect(aesKey.length).toBe(32);
    const decipher = createDecipheriv('id-aes256-wrap-pad', aesKey, Buffer.from('a65959a6', 'hex'));
    const unwrapped = Buffer.concat([decipher.update(wrapped.subarray(256)), decipher.final()]);
    expect(unwrapped.equals(material)).toBe(true);
  });

  it('uses a fresh AES key every time', () => {
    const a = rsaAesKeyWrap(rsa2048.publicKey, 'SHA-256', material);
    const b = rsaAesKeyWrap(rsa2048.publicKey, 'SHA-256', material);
    expect(a.subarray(256).equals(b.subarray(256))).toBe(false);
  });

  it('round-trips material of any length from 1 byte', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 600 }), (bytes) => {
        const wrapped = rsaAesKeyWrap(rsa2048.publicKey, 'SHA-256', bytes);
        expect(rsaAesKeyUnwrap(rsa2048.privateKey, 'SHA-256', wrapped).bytes.equals(bytes)).toBe(
          true,
        );
      }),
      { numRuns: 40 },
    );
  });

  it('rejects a bit flip in either part as INVALID_CIPHERTEXT', () => {
    const wrapped = rsaAesKeyWrap(rsa2048.publicKey, 'SHA-256', material);
    const bits = [0, 9, 1024, 2047, 2048, 2048 + 63, 2048 + 64, wrapped.length * 8 - 1];
    for (const bit of bits) {
      expect(
        outcome(() => rsaAesKeyUnwrap(rsa2048.privateKey, 'SHA-256', flipBit(wrapped, bit))),
        `bit ${bit}`,
      ).toBe('INVALID_CIPHERTEXT');
    }
  });

  it('rejects truncation, extension, the wrong hash and the wrong key as INVALID_CIPHERTEXT', () => {
    const wrapped = rsaAesKeyWrap(rsa2048.publicKey, 'SHA-256', material);
    const damaged: [string, () => unknown][] = [
      ['empty', () => rsaAesKeyUnwrap(rsa2048.privateKey, 'SHA-256', Buffer.alloc(0))],
      [
        'RSA part only',
        () => rsaAesKeyUnwrap(rsa2048.privateKey, 'SHA-256', wrapped.subarray(0, 256)),
      ],
      [
        'one byte short',
        () => rsaAesKeyUnwrap(rsa2048.privateKey, 'SHA-256', wrapped.subarray(0, -1)),
      ],
      [
        'eight bytes short',
        () => rsaAesKeyUnwrap(rsa2048.privateKey, 'SHA-256', wrapped.subarray(0, -8)),
      ],
      [
        'eight bytes more',
        () =>
          rsaAesKeyUnwrap(rsa2048.privateKey, 'SHA-256', Buffer.concat([wrapped, Buffer.alloc(8)])),
      ],
      [
        'RSA part missing a byte',
        () => rsaAesKeyUnwrap(rsa2048.privateKey, 'SHA-256', wrapped.subarray(1)),
      ],
      ['wrong hash', () => rsaAesKeyUnwrap(rsa2048.privateKey, 'SHA-1', wrapped)],
      ['wrong key', () => rsaAesKeyUnwrap(otherRsa2048.privateKey, 'SHA-256', wrapped)],
    ];
    for (const [what, f] of damaged) {
      expect(outcome(f), what).toBe('INVALID_CIPHERTEXT');
    }
  });

  it('rejects an RSA part that carries a key other than 32 bytes', () => {
    const kwp = aesKeyWrapPad(randomBytes(16), Buffer.from('material'));
    const rsaPart = rsaOaepEncrypt(rsa2048.publicKey, 'SHA-256', randomBytes(16));
    expect(
      outcome(() => rsaAesKeyUnwrap(rsa2048.privateKey, 'SHA-256', Buffer.concat([rsaPart, kwp]))),
    ).toBe('INVALID_CIPHERTEXT');
  });

  it('rejects material that is empty as INVALID_INPUT', () => {
    expect(() => rsaAesKeyWrap(rsa2048.publicKey, 'SHA-256', Buffer.alloc(0))).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });
});

describe('AES key wrap (RFC 3394)', () => {
  it('round-trips multiples of 8 bytes from 16, under 128-, 192- and 256-bit KEKs', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(16, 24, 32),
        fc.integer({ min: 2, max: 64 }),
        (kekLength, blocks) => {
          const kek = randomBytes(kekLength);
          const key = randomBytes(blocks * 8);
          const wrapped = aesKeyWrap(kek, key);
          expect(wrapped.length).toBe(key.length + 8);
          expect(aesKeyUnwrap(kek, wrapped).equals(key)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses to wrap fewer than 16 bytes or a non-multiple of 8 as INVALID_INPUT', () => {
    const kek = randomBytes(32);
    for (const length of [0, 1, 8, 15, 17, 20, 31, 33]) {
      expect(() => aesKeyWrap(kek, randomBytes(length)), `length ${length}`).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT' }),
      );
    }
  });

  it('refuses a KEK that is not 16, 24 or 32 bytes as INVALID_KEY', () => {
    for (const length of [0, 8, 15, 17, 31, 33, 64]) {
      expect(() => aesKeyWrap(Buffer.alloc(length), randomBytes(16))).toThrow(
        expect.objectContaining({ code: 'INVALID_KEY' }),
      );
      expect(() => aesKeyUnwrap(Buffer.alloc(length), randomBytes(24))).toThrow(
        expect.objectContaining({ code: 'INVALID_KEY' }),
      );
    }
  });

  it('rejects lengths that cannot be a wrap as INVALID_CIPHERTEXT', () => {
    const kek = randomBytes(32);
    for (const length of [0, 8, 16, 23, 25, 31]) {
      expect(
        outcome(() => aesKeyUnwrap(kek, randomBytes(length))),
        `length ${length}`,
      ).toBe('INVALID_CIPHERTEXT');
    }
  });

  it('rejects every bit flip, a wrong KEK and a KWP blob as INVALID_CIPHERTEXT', () => {
    const kek = randomBytes(32);
    const wrapped = aesKeyWrap(kek, randomBytes(32));
    for (let bit = 0; bit < wrapped.length * 8; bit++) {
      expect(
        outcome(() => aesKeyUnwrap(kek, flipBit(wrapped, bit))),
        `bit ${bit}`,
      ).toBe('INVALID_CIPHERTEXT');
    }
    expect(outcome(() => aesKeyUnwrap(randomBytes(32), wrapped))).toBe('INVALID_CIPHERTEXT');
    expect(outcome(() => aesKeyUnwrap(kek, aesKeyWrapPad(kek, randomBytes(32))))).toBe(
      'INVALID_CIPHERTEXT',
    );
    expect(outcome(() => aesKeyUnwrap(kek, wrapped.subarray(0, -8)))).toBe('INVALID_CIPHERTEXT');
  });
});

describe('AES key wrap with padding (RFC 5649)', () => {
  it('round-trips any length from 1 byte', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(16, 24, 32),
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        (kekLength, key) => {
          const kek = randomBytes(kekLength);
          const wrapped = aesKeyWrapPad(kek, key);
          expect(wrapped.length).toBe(Math.max(16, Math.ceil(key.length / 8) * 8 + 8));
          expect(aesKeyUnwrapPad(kek, wrapped).equals(key)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses to wrap nothing as INVALID_INPUT', () => {
    expect(() => aesKeyWrapPad(randomBytes(32), Buffer.alloc(0))).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });

  it('refuses a KEK that is not 16, 24 or 32 bytes as INVALID_KEY', () => {
    expect(() => aesKeyWrapPad(Buffer.alloc(20), Buffer.from('k'))).toThrow(
      expect.objectContaining({ code: 'INVALID_KEY' }),
    );
    expect(() => aesKeyUnwrapPad(Buffer.alloc(20), randomBytes(16))).toThrow(
      expect.objectContaining({ code: 'INVALID_KEY' }),
    );
  });

  it('rejects lengths that cannot be a wrap as INVALID_CIPHERTEXT', () => {
    const kek = randomBytes(32);
    for (const length of [0, 8, 15, 17, 23, 33]) {
      expect(
        outcome(() => aesKeyUnwrapPad(kek, randomBytes(length))),
        `length ${length}`,
      ).toBe('INVALID_CIPHERTEXT');
    }
  });

  it('rejects every bit flip, for one-block and multi-block wraps, as INVALID_CIPHERTEXT', () => {
    const kek = randomBytes(32);
    for (const length of [1, 7, 8, 9, 20]) {
      const wrapped = aesKeyWrapPad(kek, randomBytes(length));
      for (let bit = 0; bit < wrapped.length * 8; bit++) {
        expect(
          outcome(() => aesKeyUnwrapPad(kek, flipBit(wrapped, bit))),
          `length ${length} bit ${bit}`,
        ).toBe('INVALID_CIPHERTEXT');
      }
    }
  });

  it('rejects a wrong KEK, a truncation and a plain RFC 3394 blob as INVALID_CIPHERTEXT', () => {
    const kek = randomBytes(32);
    const key = randomBytes(32);
    const wrapped = aesKeyWrapPad(kek, key);
    expect(outcome(() => aesKeyUnwrapPad(randomBytes(32), wrapped))).toBe('INVALID_CIPHERTEXT');
    expect(outcome(() => aesKeyUnwrapPad(kek, wrapped.subarray(0, -8)))).toBe('INVALID_CIPHERTEXT');
    expect(outcome(() => aesKeyUnwrapPad(kek, aesKeyWrap(kek, key)))).toBe('INVALID_CIPHERTEXT');
  });
});
