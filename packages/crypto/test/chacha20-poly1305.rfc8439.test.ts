/**
 * RFC 8439 §2.8.2 AEAD_CHACHA20_POLY1305 test vector against chachaPolyEncrypt /
 * chachaPolyDecrypt, and the primitive's refusals.
 * Source: test/vectors/rfc/chacha20-poly1305-rfc8439.json (see test/vectors/SOURCE.md).
 */
import { describe, expect, it } from 'vitest';
import { chachaPolyDecrypt, chachaPolyEncrypt } from '../src/index.js';
import { expectCryptoError, hex, loadVectorJson, objArray, str } from './wycheproof.js';

const vectors = objArray(loadVectorJson('rfc/chacha20-poly1305-rfc8439.json'), 'tests').map(
  (v) => ({
    id: str(v, 'id'),
    key: hex(str(v, 'key')),
    nonce: hex(str(v, 'nonce')),
    aad: hex(str(v, 'aad')),
    plaintext: hex(str(v, 'plaintext')),
    ciphertext: hex(str(v, 'ciphertext')),
    tag: hex(str(v, 'tag')),
  }),
);

describe('RFC 8439 §2.8.2 ChaCha20-Poly1305', () => {
  it('has the vector', () => {
    expect(vectors.map((v) => v.id)).toEqual(['2.8.2']);
  });

  for (const v of vectors) {
    it(`§${v.id}: seal gives the published ciphertext and tag`, () => {
      const out = chachaPolyEncrypt(v.key, v.nonce, v.plaintext, v.aad);
      expect(out.ciphertext.toString('hex')).toBe(v.ciphertext.toString('hex'));
      expect(out.tag.toString('hex')).toBe(v.tag.toString('hex'));
    });

    it(`§${v.id}: open gives the plaintext`, () => {
      const opened = chachaPolyDecrypt(v.key, v.nonce, v.ciphertext, v.tag, v.aad);
      expect(opened.toString()).toMatch(/^Ladies and Gentlemen of the class of '99/);
      expect(opened.equals(v.plaintext)).toBe(true);
    });

    it(`§${v.id}: any flipped bit of ciphertext, tag, nonce or AAD fails uniformly`, () => {
      for (const field of ['ciphertext', 'tag', 'nonce', 'aad'] as const) {
        for (let i = 0; i < v[field].length; i += 7) {
          const bad = { ...v, [field]: Buffer.from(v[field]) };
          bad[field][i] = (bad[field][i] ?? 0) ^ (1 << (i % 8));
          expectCryptoError('INVALID_CIPHERTEXT', () =>
            chachaPolyDecrypt(bad.key, bad.nonce, bad.ciphertext, bad.tag, bad.aad),
          );
        }
      }
    });
  }

  it('refuses keys that are not 32 bytes, nonces that are not 12, tags that are not 16', () => {
    const [v] = vectors;
    if (v === undefined) throw new Error('no vector');
    for (const length of [0, 16, 31, 33]) {
      expectCryptoError('INVALID_KEY', () =>
        chachaPolyEncrypt(Buffer.alloc(length), v.nonce, v.plaintext),
      );
      expectCryptoError('INVALID_CIPHERTEXT', () =>
        chachaPolyDecrypt(Buffer.alloc(length), v.nonce, v.ciphertext, v.tag, v.aad),
      );
    }
    for (const length of [0, 8, 11, 13, 24]) {
      expectCryptoError('INVALID_INPUT', () =>
        chachaPolyEncrypt(v.key, Buffer.alloc(length), v.plaintext),
      );
    }
    const longTag = Buffer.concat([v.tag, Buffer.alloc(1)]);
    for (const tag of [
      v.tag.subarray(0, 0),
      v.tag.subarray(0, 12),
      v.tag.subarray(0, 15),
      longTag,
    ]) {
      expectCryptoError('INVALID_CIPHERTEXT', () =>
        chachaPolyDecrypt(v.key, v.nonce, v.ciphertext, tag, v.aad),
      );
    }
  });
});
