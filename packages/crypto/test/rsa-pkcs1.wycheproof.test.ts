/**
 * Wycheproof RSASSA-PKCS1-v1_5 verification vectors (rsassa_pkcs1_verify_schema_v1) against
 * verify with the RSA_2048/3072 key specs.
 *
 * Every case runs twice: messageType RAW (node:crypto) and messageType DIGEST (the package's
 * own EMSA-PKCS1-v1_5 verifier). "valid" must verify on both paths, "invalid" must be rejected
 * on both.
 * acceptable (MissingNull: DigestInfo without the NULL AlgorithmIdentifier parameters): policy
 * is reject. RFC 8017 §9.2 Note 1 gives the DigestInfo encodings with NULL parameters, and
 * verification re-encodes and compares (§8.2.2 step 3-4), so the variant without NULL does not
 * verify; OpenSSL behaves the same. None is skipped.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keySpec, publicKeyFromSpki, verify } from '../src/index.js';
import type { SigningAlgorithm } from '../src/index.js';
import { allTests, hex, loadWycheproof, num, str, title } from './wycheproof.js';

const FILES = [
  { file: 'rsa_signature_2048_sha256_test.json', acceptable: 1 },
  { file: 'rsa_signature_3072_sha384_test.json', acceptable: 1 },
] as const;

/** Decision for each flag that occurs on "acceptable" cases. */
const ACCEPTABLE_POLICY: Readonly<Record<string, 'reject'>> = { MissingNull: 'reject' };

/** No case in any of the files is skipped. */
const SKIPPED: ReadonlyMap<string, readonly number[]> = new Map();

function hashBits(sha: string): 256 | 384 | 512 {
  if (sha === 'SHA-256') return 256;
  if (sha === 'SHA-384') return 384;
  if (sha === 'SHA-512') return 512;
  throw new TypeError(`unexpected hash ${sha}`);
}

for (const { file, acceptable } of FILES) {
  const suite = loadWycheproof(file, 'rsassa_pkcs1_verify_schema_v1.json');

  describe(`Wycheproof ${suite.file}`, () => {
    const cases = allTests(suite);

    it('covers every vector in the file; acceptable cases follow the documented policy', () => {
      expect(cases.length).toBe(suite.numberOfTests);
      expect(SKIPPED.get(file) ?? []).toHaveLength(0);
      const acc = cases.filter(({ test }) => test.result === 'acceptable');
      expect(acc).toHaveLength(acceptable);
      for (const { test } of acc) {
        expect(test.flags.every((flag) => ACCEPTABLE_POLICY[flag] === 'reject')).toBe(true);
      }
    });

    for (const { group, test } of cases) {
      const bits = hashBits(str(group.raw, 'sha'));
      const spec = keySpec(`RSA_${num(group.raw, 'keySize')}`);
      const algorithm: SigningAlgorithm = `RSASSA_PKCS1_V1_5_SHA_${bits}`;
      const spki = hex(str(group.raw, 'publicKeyDer'));
      const msg = hex(str(test.raw, 'msg'));
      const sig = hex(str(test.raw, 'sig'));
      // valid: accept; invalid and acceptable (policy above): reject.
      const expected = test.result === 'valid';
      const suffix = test.result === 'acceptable' ? ' — policy: reject' : '';

      it(`${title(test)}${suffix}`, () => {
        const key = publicKeyFromSpki(spki);
        const raw = verify({ spec, algorithm, messageType: 'RAW', message: msg }, key, sig);
        const digest = createHash(`sha${bits}`).update(msg).digest();
        const pre = verify({ spec, algorithm, messageType: 'DIGEST', message: digest }, key, sig);
        expect({ raw, digest: pre }).toEqual({ raw: expected, digest: expected });
      });
    }
  });
}
