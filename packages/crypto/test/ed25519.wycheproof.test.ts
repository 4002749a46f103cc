/**
 * Wycheproof Ed25519 verification vectors (eddsa_verify_schema_v1, ed25519_test.json) against
 * verify with the ED25519 key spec: "valid" must verify, "invalid" must not (malleable s >= L,
 * non-canonical encodings, truncated or padded signatures, ...). The file has no "acceptable"
 * cases and none is skipped.
 */
import { describe, expect, it } from 'vitest';
import { keySpec, publicKeyFromSpki, verify } from '../src/index.js';
import { allTests, hex, loadWycheproof, str, title } from './wycheproof.js';

const suite = loadWycheproof('ed25519_test.json', 'eddsa_verify_schema_v1.json');
const spec = keySpec('ED25519');

/** No case is skipped. */
const SKIPPED: ReadonlyMap<number, string> = new Map();

describe(`Wycheproof ${suite.file}`, () => {
  const cases = allTests(suite);

  it('covers every vector in the file', () => {
    expect(cases.length).toBe(suite.numberOfTests);
    expect(SKIPPED.size).toBe(0);
    expect(cases.filter(({ test }) => test.result === 'acceptable')).toHaveLength(0);
  });

  for (const { group, test } of cases) {
    const spki = hex(str(group.raw, 'publicKeyDer'));
    const msg = hex(str(test.raw, 'msg'));
    const sig = hex(str(test.raw, 'sig'));
    it(title(test), () => {
      const ok = verify(
        { spec, algorithm: 'ED25519_SHA_512', messageType: 'RAW', message: msg },
        publicKeyFromSpki(spki),
        sig,
      );
      expect(ok).toBe(test.result === 'valid');
    });
  }
});
