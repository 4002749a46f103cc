/**
 * Wycheproof RSASSA-PSS verification vectors (rsassa_pss_verify_schema_v1) against verify with
 * the RSA_2048/3072/4096 key specs. The API fixes MGF1 to the signing hash and the salt length
 * to the hash length (as AWS KMS RSASSA_PSS_*), so only files with those parameters are used;
 * the test checks each group's parameters.
 *
 * Every case runs twice: messageType RAW (node:crypto) and messageType DIGEST (the package's
 * own EMSA-PSS verifier). "valid" must verify on both paths, "invalid" must be rejected on both.
 * These files have no "acceptable" cases and none is skipped.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keySpec, publicKeyFromSpki, verify } from '../src/index.js';
import type { SigningAlgorithm } from '../src/index.js';
import { allTests, hex, loadWycheproof, num, str, title } from './wycheproof.js';

const FILES = [
  'rsa_pss_2048_sha256_mgf1_32_test.json',
  'rsa_pss_2048_sha384_mgf1_48_test.json',
  'rsa_pss_3072_sha256_mgf1_32_test.json',
  'rsa_pss_4096_sha512_mgf1_64_test.json',
] as const;

/** No case in any of the files is skipped. */
const SKIPPED: ReadonlyMap<string, readonly number[]> = new Map();

const HASH_BITS = { 'SHA-256': 256, 'SHA-384': 384, 'SHA-512': 512 } as const;

function hashBits(sha: string): 256 | 384 | 512 {
  if (sha === 'SHA-256' || sha === 'SHA-384' || sha === 'SHA-512') return HASH_BITS[sha];
  throw new TypeError(`unexpected hash ${sha}`);
}

for (const file of FILES) {
  const suite = loadWycheproof(file, 'rsassa_pss_verify_schema_v1.json');

  describe(`Wycheproof ${suite.file}`, () => {
    const cases = allTests(suite);

    it('covers every vector in the file; parameters match the API', () => {
      expect(cases.length).toBe(suite.numberOfTests);
      expect(SKIPPED.get(file) ?? []).toHaveLength(0);
      expect(cases.filter(({ test }) => test.result === 'acceptable')).toHaveLength(0);
      for (const group of suite.groups) {
        const sha = str(group.raw, 'sha');
        expect(str(group.raw, 'mgf')).toBe('MGF1');
        expect(str(group.raw, 'mgfSha')).toBe(sha);
        expect(num(group.raw, 'sLen')).toBe(hashBits(sha) / 8);
      }
    });

    for (const { group, test } of cases) {
      const bits = hashBits(str(group.raw, 'sha'));
      const spec = keySpec(`RSA_${num(group.raw, 'keySize')}`);
      const algorithm: SigningAlgorithm = `RSASSA_PSS_SHA_${bits}`;
      const spki = hex(str(group.raw, 'publicKeyDer'));
      const msg = hex(str(test.raw, 'msg'));
      const sig = hex(str(test.raw, 'sig'));
      const expected = test.result === 'valid';

      it(title(test), () => {
        const key = publicKeyFromSpki(spki);
        const raw = verify({ spec, algorithm, messageType: 'RAW', message: msg }, key, sig);
        const digest = createHash(`sha${bits}`).update(msg).digest();
        const pre = verify({ spec, algorithm, messageType: 'DIGEST', message: digest }, key, sig);
        expect({ raw, digest: pre }).toEqual({ raw: expected, digest: expected });
      });
    }
  });
}
