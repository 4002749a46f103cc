/**
 * Wycheproof AES key wrap with padding vectors (keywrap_test_schema_v1, aes_kwp_test.json)
 * against aesKeyWrapPad / aesKeyUnwrapPad (RFC 5649, NIST SP 800-38F KWP).
 *
 * valid: wrap(key, msg) reproduces ct exactly and unwrap(key, ct) returns msg.
 * invalid: unwrap(key, ct) fails with CryptoError INVALID_CIPHERTEXT.
 * The file has no "acceptable" cases and none is skipped.
 */
import { describe, expect, it } from 'vitest';
import { aesKeyUnwrapPad, aesKeyWrapPad } from '../src/index.js';
import { allTests, expectCryptoError, hex, loadWycheproof, str, title } from './wycheproof.js';

const suite = loadWycheproof('aes_kwp_test.json', 'keywrap_test_schema_v1.json');

/** No case is skipped. */
const SKIPPED: ReadonlyMap<number, string> = new Map();

describe(`Wycheproof ${suite.file}`, () => {
  const cases = allTests(suite);

  it('covers every vector in the file', () => {
    expect(cases.length).toBe(suite.numberOfTests);
    expect(SKIPPED.size).toBe(0);
    expect(cases.filter(({ test }) => test.result === 'acceptable')).toHaveLength(0);
  });

  for (const { test } of cases) {
    const t = test.raw;
    const kek = hex(str(t, 'key'));
    const msg = hex(str(t, 'msg'));
    const ct = hex(str(t, 'ct'));

    if (test.result === 'valid') {
      it(title(test), () => {
        expect(aesKeyWrapPad(kek, msg).toString('hex')).toBe(ct.toString('hex'));
        expect(aesKeyUnwrapPad(kek, ct).toString('hex')).toBe(msg.toString('hex'));
      });
    } else {
      it(title(test), () => {
        expectCryptoError('INVALID_CIPHERTEXT', () => aesKeyUnwrapPad(kek, ct));
      });
    }
  }
});
