/**
 * Ciphertext format v1 with each of its AEADs (docs/formats.md, algorithm byte): the
 * algorithm byte names the cipher, the blob is the cipher's output under the header as AAD
 * (checked against node:crypto directly), a blob never opens under another cipher, and a
 * given nonce (convergent encryption) makes the blob deterministic.
 */
import { createDecipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CIPHERTEXT_HEADER_LENGTH,
  type SymmetricCipher,
  canonicalContext,
  cipherKeyLength,
  decryptCiphertext,
  encryptCiphertext,
  parseCiphertext,
} from '../src/index.js';
import { expectCryptoError } from './wycheproof.js';

const KEY_ID = '6f1c2a3e-4b5d-4c7e-8f90-a1b2c3d4e5f6';
const REF = { keyId: KEY_ID, keyVersion: 3 };
const CASES: readonly [SymmetricCipher, number, string][] = [
  ['AES_256_GCM', 0x01, 'aes-256-gcm'],
  ['AES_128_GCM', 0x02, 'aes-128-gcm'],
  ['CHACHA20_POLY1305', 0x03, 'chacha20-poly1305'],
];

describe.each(CASES)('%s blobs', (cipher, byte, nodeName) => {
  const key = randomBytes(cipherKeyLength(cipher));
  const context = { tenant: 'acme' };
  const plaintext = Buffer.from('hello, custos');

  it('carry the algorithm byte and decrypt through the header', () => {
    const blob = encryptCiphertext(key, REF, plaintext, context, { cipher });
    expect(blob[1]).toBe(byte);
    const parsed = parseCiphertext(blob);
    expect(parsed.header.algorithm).toBe(cipher);
    expect(decryptCiphertext(key, parsed, context).equals(plaintext)).toBe(true);
  });

  it('are exactly the cipher output with header ‖ context as AAD', () => {
    const blob = encryptCiphertext(key, REF, plaintext, context, { cipher });
    const parsed = parseCiphertext(blob);
    const decipher = createDecipheriv(nodeName as 'aes-256-gcm', key, parsed.iv, {
      authTagLength: 16,
    });
    decipher.setAAD(
      Buffer.concat([blob.subarray(0, CIPHERTEXT_HEADER_LENGTH), canonicalContext(context)]),
    );
    decipher.setAuthTag(parsed.tag);
    const opened = Buffer.concat([decipher.update(parsed.body), decipher.final()]);
    expect(opened.equals(plaintext)).toBe(true);
  });

  it('never open under another cipher, even with a key of the right length', () => {
    const blob = encryptCiphertext(key, REF, plaintext, context, { cipher });
    for (const [other, otherByte] of CASES) {
      if (other === cipher) continue;
      const relabelled = Buffer.from(blob);
      relabelled[1] = otherByte;
      expectCryptoError('INVALID_CIPHERTEXT', () =>
        decryptCiphertext(key, parseCiphertext(relabelled), context),
      );
      const otherKey = randomBytes(cipherKeyLength(other));
      expectCryptoError('INVALID_CIPHERTEXT', () =>
        decryptCiphertext(otherKey, parseCiphertext(relabelled), context),
      );
    }
  });

  it('are deterministic with a given nonce, and random without', () => {
    const nonce = Buffer.alloc(12, 7);
    const a = encryptCiphertext(key, REF, plaintext, context, { cipher, nonce });
    const b = encryptCiphertext(key, REF, plaintext, context, { cipher, nonce });
    expect(a.equals(b)).toBe(true);
    expect(parseCiphertext(a).iv.equals(nonce)).toBe(true);
    const c = encryptCiphertext(key, REF, plaintext, context, { cipher });
    const d = encryptCiphertext(key, REF, plaintext, context, { cipher });
    expect(c.equals(d)).toBe(false);
  });

  it('refuses a given nonce that is not 12 bytes', () => {
    for (const length of [0, 8, 11, 13, 16]) {
      expectCryptoError('INVALID_INPUT', () =>
        encryptCiphertext(key, REF, plaintext, context, { cipher, nonce: Buffer.alloc(length) }),
      );
    }
  });
});
