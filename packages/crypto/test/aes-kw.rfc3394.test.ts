/**
 * RFC 3394 §4 test vectors (4.1-4.6) against aesKeyWrap / aesKeyUnwrap.
 * Source: test/vectors/rfc/aes-kw-rfc3394.json (see test/vectors/SOURCE.md).
 */
import { describe, expect, it } from 'vitest';
import { aesKeyUnwrap, aesKeyWrap } from '../src/index.js';
import { expectCryptoError, hex, loadVectorJson, objArray, str } from './wycheproof.js';

const vectors = objArray(loadVectorJson('rfc/aes-kw-rfc3394.json'), 'tests').map((v) => ({
  id: str(v, 'id'),
  comment: str(v, 'comment'),
  kek: hex(str(v, 'kek')),
  key: hex(str(v, 'key')),
  wrapped: hex(str(v, 'wrapped')),
}));

describe('RFC 3394 §4 AES key wrap', () => {
  it('has all six vectors', () => {
    expect(vectors.map((v) => v.id)).toEqual(['4.1', '4.2', '4.3', '4.4', '4.5', '4.6']);
  });

  for (const v of vectors) {
    it(`${v.id} ${v.comment}: wrap`, () => {
      expect(aesKeyWrap(v.kek, v.key).toString('hex')).toBe(v.wrapped.toString('hex'));
    });

    it(`${v.id} ${v.comment}: unwrap`, () => {
      expect(aesKeyUnwrap(v.kek, v.wrapped).toString('hex')).toBe(v.key.toString('hex'));
    });

    it(`${v.id} ${v.comment}: unwrap rejects any single flipped bit`, () => {
      for (let i = 0; i < v.wrapped.length; i += 1) {
        const tampered = Buffer.from(v.wrapped);
        tampered[i] = (tampered[i] ?? 0) ^ (1 << (i % 8));
        expectCryptoError('INVALID_CIPHERTEXT', () => aesKeyUnwrap(v.kek, tampered));
      }
    });

    it(`${v.id} ${v.comment}: unwrap with a different KEK fails`, () => {
      const otherKek = Buffer.from(v.kek);
      otherKek[otherKek.length - 1] = (otherKek[otherKek.length - 1] ?? 0) ^ 0x01;
      expectCryptoError('INVALID_CIPHERTEXT', () => aesKeyUnwrap(otherKek, v.wrapped));
    });
  }
});
