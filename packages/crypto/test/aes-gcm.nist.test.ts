/**
 * AES-256-GCM test cases 13-16 of the GCM specification (McGrew & Viega, Appendix B) against
 * aesGcmEncrypt / aesGcmDecrypt: 96-bit IV, 128-bit tag, with and without AAD.
 * Source: test/vectors/rfc/aes-gcm-mcgrew-viega.json (see test/vectors/SOURCE.md).
 */
import { describe, expect, it } from 'vitest';
import { aesGcmDecrypt, aesGcmEncrypt } from '../src/index.js';
import { expectCryptoError, hex, loadVectorJson, objArray, str } from './wycheproof.js';

const vectors = objArray(loadVectorJson('rfc/aes-gcm-mcgrew-viega.json'), 'tests').map((v) => ({
  id: str(v, 'id'),
  key: hex(str(v, 'key')),
  iv: hex(str(v, 'iv')),
  aad: hex(str(v, 'aad')),
  plaintext: hex(str(v, 'plaintext')),
  ciphertext: hex(str(v, 'ciphertext')),
  tag: hex(str(v, 'tag')),
}));

function flipped(bytes: Buffer, index: number): Buffer {
  const out = Buffer.from(bytes);
  out[index] = (out[index] ?? 0) ^ 0x80;
  return out;
}

describe('GCM specification test cases 13-16 (AES-256)', () => {
  it('has test cases 13-16', () => {
    expect(vectors.map((v) => v.id)).toEqual([
      'Test Case 13',
      'Test Case 14',
      'Test Case 15',
      'Test Case 16',
    ]);
  });

  for (const v of vectors) {
    it(`${v.id}: encrypt`, () => {
      const out = aesGcmEncrypt(v.key, v.iv, v.plaintext, v.aad);
      expect(out.ciphertext.toString('hex')).toBe(v.ciphertext.toString('hex'));
      expect(out.tag.toString('hex')).toBe(v.tag.toString('hex'));
    });

    if (v.aad.length === 0) {
      it(`${v.id}: encrypt without the optional aad argument`, () => {
        const out = aesGcmEncrypt(v.key, v.iv, v.plaintext);
        expect(out.ciphertext.toString('hex')).toBe(v.ciphertext.toString('hex'));
        expect(out.tag.toString('hex')).toBe(v.tag.toString('hex'));
      });
    }

    it(`${v.id}: decrypt`, () => {
      const plaintext = aesGcmDecrypt(v.key, v.iv, v.ciphertext, v.tag, v.aad);
      expect(plaintext.toString('hex')).toBe(v.plaintext.toString('hex'));
    });

    it(`${v.id}: decrypt rejects a modified tag, ciphertext, IV or AAD`, () => {
      for (const i of [0, v.tag.length - 1]) {
        expectCryptoError('INVALID_CIPHERTEXT', () =>
          aesGcmDecrypt(v.key, v.iv, v.ciphertext, flipped(v.tag, i), v.aad),
        );
      }
      if (v.ciphertext.length > 0) {
        expectCryptoError('INVALID_CIPHERTEXT', () =>
          aesGcmDecrypt(v.key, v.iv, flipped(v.ciphertext, 0), v.tag, v.aad),
        );
      }
      expectCryptoError('INVALID_CIPHERTEXT', () =>
        aesGcmDecrypt(v.key, flipped(v.iv, 11), v.ciphertext, v.tag, v.aad),
      );
      const otherAad = v.aad.length > 0 ? flipped(v.aad, 0) : Buffer.of(0);
      expectCryptoError('INVALID_CIPHERTEXT', () =>
        aesGcmDecrypt(v.key, v.iv, v.ciphertext, v.tag, otherAad),
      );
    });

    it(`${v.id}: decrypt rejects the correct tag truncated to 12–15 bytes`, () => {
      for (const length of [12, 13, 14, 15]) {
        expectCryptoError('INVALID_CIPHERTEXT', () =>
          aesGcmDecrypt(v.key, v.iv, v.ciphertext, v.tag.subarray(0, length), v.aad),
        );
      }
    });
  }
});
