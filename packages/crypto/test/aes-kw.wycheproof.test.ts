/**
 * Wycheproof AES key wrap vectors (keywrap_test_schema_v1, aes_wrap_test.json) against
 * aesKeyWrap / aesKeyUnwrap (RFC 3394, NIST SP 800-38F KW).
 *
 * valid: wrap(key, msg) reproduces ct exactly and unwrap(key, ct) returns msg.
 * invalid: unwrap(key, ct) fails with CryptoError INVALID_CIPHERTEXT. Where the plaintext itself
 * cannot be wrapped (EmptyKey, WrongDataSize: not a multiple of 8 bytes), wrap must fail with
 * INVALID_INPUT as well.
 * acceptable (ShortKey, tcIds 12, 54, 109: an 8-byte key wrapped as a single block): RFC 3394
 * §2 and SP 800-38F §5.3.1 require at least two 64-bit blocks, so our API refuses both
 * directions. These cases are asserted to be rejected.
 */
import { describe, expect, it } from 'vitest';
import { aesKeyUnwrap, aesKeyWrap } from '../src/index.js';
import { allTests, expectCryptoError, hex, loadWycheproof, str, title } from './wycheproof.js';

const suite = loadWycheproof('aes_wrap_test.json', 'keywrap_test_schema_v1.json');

/** acceptable cases and the decision taken for each flag. */
const ACCEPTABLE_POLICY: Readonly<Record<string, 'reject'>> = { ShortKey: 'reject' };
const EXPECTED_ACCEPTABLE = 3;
/** No case is skipped. */
const SKIPPED: ReadonlyMap<number, string> = new Map();

/** Invalid cases whose msg is not wrappable at all (so wrap must refuse it too). */
const UNWRAPPABLE_MSG_FLAGS = new Set(['EmptyKey', 'WrongDataSize']);

describe(`Wycheproof ${suite.file}`, () => {
  const cases = allTests(suite);

  it('covers every vector in the file', () => {
    expect(cases.length).toBe(suite.numberOfTests);
    expect(SKIPPED.size).toBe(0);
    const acceptable = cases.filter(({ test }) => test.result === 'acceptable');
    expect(acceptable).toHaveLength(EXPECTED_ACCEPTABLE);
    for (const { test } of acceptable) {
      expect(test.flags.every((flag) => ACCEPTABLE_POLICY[flag] === 'reject')).toBe(true);
    }
  });

  for (const { test } of cases) {
    const t = test.raw;
    const kek = hex(str(t, 'key'));
    const msg = hex(str(t, 'msg'));
    const ct = hex(str(t, 'ct'));

    if (test.result === 'valid') {
      it(title(test), () => {
        expect(aesKeyWrap(kek, msg).toString('hex')).toBe(ct.toString('hex'));
        expect(aesKeyUnwrap(kek, ct).toString('hex')).toBe(msg.toString('hex'));
      });
    } else if (test.result === 'acceptable') {
      it(`${title(test)} — policy: reject`, () => {
        expectCryptoError('INVALID_INPUT', () => aesKeyWrap(kek, msg));
        expectCryptoError('INVALID_CIPHERTEXT', () => aesKeyUnwrap(kek, ct));
      });
    } else {
      it(title(test), () => {
        expectCryptoError('INVALID_CIPHERTEXT', () => aesKeyUnwrap(kek, ct));
        if (test.flags.some((flag) => UNWRAPPABLE_MSG_FLAGS.has(flag))) {
          expectCryptoError('INVALID_INPUT', () => aesKeyWrap(kek, msg));
        }
      });
    }
  }
});
