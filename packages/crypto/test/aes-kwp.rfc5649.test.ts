/**
 * RFC 5649 §6 test vectors (20-octet and 7-octet keys under a 192-bit KEK) against
 * aesKeyWrapPad / aesKeyUnwrapPad.
 * Source: test/vectors/rfc/aes-kwp-rfc5649.json (see test/vectors/SOURCE.md).
 */
import { describe, expect, it } from 'vitest';
import { aesKeyUnwrapPad, aesKeyWrapPad } from '../src/index.js';
import { expectCryptoError, hex, loadVectorJson, objArray, str } from './wycheproof.js';

const vectors = objArray(loadVectorJson('rfc/aes-kwp-rfc5649.json'), 'tests').map((v) => ({
  id: str(v, 'id'),
  comment: str(v, 'comment'),
  kek: hex(str(v, 'kek')),
  key: hex(str(v, 'key')),
  wrapped: hex(str(v, 'wrapped')),
}));

describe('RFC 5649 §6 AES key wrap with padding', () => {
  it('has both vectors', () => {
    expect(vectors.map((v) => v.key.length)).toEqual([20, 7]);
  });

  for (const v of vectors) {
    it(`${v.comment}: wrap`, () => {
      expect(aesKeyWrapPad(v.kek, v.key).toString('hex')).toBe(v.wrapped.toString('hex'));
    });

    it(`${v.comment}: unwrap`, () => {
      expect(aesKeyUnwrapPad(v.kek, v.wrapped).toString('hex')).toBe(v.key.toString('hex'));
    });

    it(`${v.comment}: unwrap rejects any single flipped bit`, () => {
      for (let i = 0; i < v.wrapped.length; i += 1) {
        const tampered = Buffer.from(v.wrapped);
        tampered[i] = (tampered[i] ?? 0) ^ (1 << (i % 8));
        expectCryptoError('INVALID_CIPHERTEXT', () => aesKeyUnwrapPad(v.kek, tampered));
      }
    });
  }
});
