/**
 * Wycheproof AES-GCM vectors (aead_test_schema_v1) against aesGcmEncrypt / aesGcmDecrypt.
 *
 * valid: encryption reproduces ct and tag exactly, and decryption returns msg.
 * invalid: decryption must fail with CryptoError INVALID_CIPHERTEXT; for a zero-length IV
 * (ZeroLengthIv) encryption must be refused as well.
 * The file has no "acceptable" cases.
 */
import { describe, expect, it } from 'vitest';
import { aesGcmDecrypt, aesGcmEncrypt } from '../src/index.js';
import { allTests, expectCryptoError, hex, loadWycheproof, num, str, title } from './wycheproof.js';

const suite = loadWycheproof('aes_gcm_test.json', 'aead_test_schema_v1.json');

/**
 * Cases the API cannot run as specified. They are still executed: the test asserts that the
 * API refuses them, so a change in that behaviour is noticed.
 */
const UNSUPPORTED: ReadonlyMap<number, string> = new Map([
  [
    268,
    '2056-bit (257-byte) IV: node:crypto rejects GCM IVs this long ("Invalid initialization vector")',
  ],
  [
    272,
    '2056-bit (257-byte) IV: node:crypto rejects GCM IVs this long ("Invalid initialization vector")',
  ],
  [
    276,
    '2056-bit (257-byte) IV: node:crypto rejects GCM IVs this long ("Invalid initialization vector")',
  ],
]);
const EXPECTED_UNSUPPORTED = 3;

describe(`Wycheproof ${suite.file}`, () => {
  const cases = allTests(suite);

  it('covers every vector in the file; unsupported cases are listed by tcId', () => {
    expect(cases.length).toBe(suite.numberOfTests);
    expect(UNSUPPORTED.size).toBe(EXPECTED_UNSUPPORTED);
    const ids = new Set(cases.map(({ test }) => test.tcId));
    for (const tcId of UNSUPPORTED.keys()) expect(ids.has(tcId)).toBe(true);
    expect(cases.filter(({ test }) => test.result === 'acceptable')).toHaveLength(0);
  });

  for (const { group, test } of cases) {
    const t = test.raw;
    const key = hex(str(t, 'key'));
    const iv = hex(str(t, 'iv'));
    const aad = hex(str(t, 'aad'));
    const msg = hex(str(t, 'msg'));
    const ct = hex(str(t, 'ct'));
    const tag = hex(str(t, 'tag'));
    const tagSize = num(group.raw, 'tagSize');
    const reason = UNSUPPORTED.get(test.tcId);

    if (reason !== undefined) {
      it(`${title(test)} — unsupported, must be refused: ${reason}`, () => {
        expect(() => aesGcmEncrypt(key, iv, msg, aad, tagSize / 8)).toThrow();
        expectCryptoError('INVALID_CIPHERTEXT', () =>
          aesGcmDecrypt(key, iv, ct, tag, aad, tagSize / 8),
        );
      });
      continue;
    }

    if (test.result === 'valid') {
      it(title(test), () => {
        const out = aesGcmEncrypt(key, iv, msg, aad, tagSize / 8);
        expect(out.ciphertext.toString('hex')).toBe(ct.toString('hex'));
        expect(out.tag.toString('hex')).toBe(tag.toString('hex'));
        expect(aesGcmDecrypt(key, iv, ct, tag, aad, tagSize / 8).toString('hex')).toBe(
          msg.toString('hex'),
        );
      });
    } else {
      it(title(test), () => {
        expectCryptoError('INVALID_CIPHERTEXT', () =>
          aesGcmDecrypt(key, iv, ct, tag, aad, tagSize / 8),
        );
        if (iv.length === 0)
          expectCryptoError('INVALID_INPUT', () => aesGcmEncrypt(key, iv, msg, aad));
      });
    }
  }
});
