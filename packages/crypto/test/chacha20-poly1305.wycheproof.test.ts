/**
 * Wycheproof ChaCha20-Poly1305 vectors (aead_test_schema_v1) against chachaPolyEncrypt /
 * chachaPolyDecrypt.
 *
 * valid: encryption reproduces ct and tag exactly, and decryption returns msg.
 * invalid: decryption fails with CryptoError INVALID_CIPHERTEXT; the cases with a nonce
 * other than 96 bits (tcIds 317–325) are refused by encryption too, as INVALID_INPUT.
 * The file has no "acceptable" cases.
 */
import { describe, expect, it } from 'vitest';
import { chachaPolyDecrypt, chachaPolyEncrypt } from '../src/index.js';
import { allTests, expectCryptoError, hex, loadWycheproof, str, title } from './wycheproof.js';

const suite = loadWycheproof('chacha20_poly1305_test.json', 'aead_test_schema_v1.json');
const WRONG_NONCE_LENGTH = 9;

describe(`Wycheproof ${suite.file}`, () => {
  const cases = allTests(suite);

  it('covers every vector in the file, none "acceptable"', () => {
    expect(cases.length).toBe(suite.numberOfTests);
    expect(cases.filter(({ test }) => test.result === 'acceptable')).toHaveLength(0);
    const wrongNonce = cases.filter(({ test }) => hex(str(test.raw, 'iv')).length !== 12);
    expect(wrongNonce).toHaveLength(WRONG_NONCE_LENGTH);
    for (const { test } of wrongNonce) expect(test.result).toBe('invalid');
  });

  for (const { test } of cases) {
    const t = test.raw;
    const key = hex(str(t, 'key'));
    const iv = hex(str(t, 'iv'));
    const aad = hex(str(t, 'aad'));
    const msg = hex(str(t, 'msg'));
    const ct = hex(str(t, 'ct'));
    const tag = hex(str(t, 'tag'));

    if (test.result === 'valid') {
      it(title(test), () => {
        const out = chachaPolyEncrypt(key, iv, msg, aad);
        expect(out.ciphertext.toString('hex')).toBe(ct.toString('hex'));
        expect(out.tag.toString('hex')).toBe(tag.toString('hex'));
        expect(chachaPolyDecrypt(key, iv, ct, tag, aad).toString('hex')).toBe(msg.toString('hex'));
      });
    } else {
      it(title(test), () => {
        expectCryptoError('INVALID_CIPHERTEXT', () => chachaPolyDecrypt(key, iv, ct, tag, aad));
        if (iv.length !== 12) {
          expectCryptoError('INVALID_INPUT', () => chachaPolyEncrypt(key, iv, msg, aad));
        }
      });
    }
  }
});
