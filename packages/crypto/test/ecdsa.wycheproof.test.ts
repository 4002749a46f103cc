/**
 * Wycheproof ECDSA verification vectors for P-256/SHA-256, P-384/SHA-384 and P-521/SHA-512,
 * in both ASN.1 DER (ecdsa_verify_schema_v1) and IEEE P1363 (ecdsa_p1363_verify_schema_v1)
 * encodings, against verify.
 *
 * Every case runs twice: messageType RAW (node:crypto hashes and verifies) and messageType
 * DIGEST with the SHA digest of msg (the package's own digest verifier and, for DER, its strict
 * DER decoder). "valid" must verify on both paths and "invalid" must be rejected on both
 * (BER / non-minimal encodings, r or s out of range, wrong sizes, ...). These files have no
 * "acceptable" cases and none is skipped.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keySpec, publicKeyFromSpki, verify } from '../src/index.js';
import type { EcdsaEncoding, KeySpecName, SigningAlgorithm } from '../src/index.js';
import { allTests, hex, loadWycheproof, str, title } from './wycheproof.js';

interface EcdsaFile {
  readonly file: string;
  readonly encoding: EcdsaEncoding;
  readonly spec: KeySpecName;
  readonly algorithm: SigningAlgorithm;
  readonly sha: 'SHA-256' | 'SHA-384' | 'SHA-512';
}

const DER_SCHEMA = 'ecdsa_verify_schema_v1.json';
const P1363_SCHEMA = 'ecdsa_p1363_verify_schema_v1.json';

const FILES: readonly EcdsaFile[] = [
  ['secp256r1', 'sha256', 'ECC_NIST_P256', 'ECDSA_SHA_256', 'SHA-256'] as const,
  ['secp384r1', 'sha384', 'ECC_NIST_P384', 'ECDSA_SHA_384', 'SHA-384'] as const,
  ['secp521r1', 'sha512', 'ECC_NIST_P521', 'ECDSA_SHA_512', 'SHA-512'] as const,
].flatMap(([curve, hash, spec, algorithm, sha]) => [
  { file: `ecdsa_${curve}_${hash}_test.json`, encoding: 'der', spec, algorithm, sha },
  { file: `ecdsa_${curve}_${hash}_p1363_test.json`, encoding: 'ieee-p1363', spec, algorithm, sha },
]);

/** No case in any of the files is skipped. */
const SKIPPED: ReadonlyMap<string, readonly number[]> = new Map();

for (const f of FILES) {
  const suite = loadWycheproof(f.file, f.encoding === 'der' ? DER_SCHEMA : P1363_SCHEMA);
  const spec = keySpec(f.spec);
  const nodeHash = f.sha.replace('-', '').toLowerCase();

  describe(`Wycheproof ${suite.file}`, () => {
    const cases = allTests(suite);

    it('covers every vector in the file', () => {
      expect(cases.length).toBe(suite.numberOfTests);
      expect(SKIPPED.get(f.file) ?? []).toHaveLength(0);
      expect(cases.filter(({ test }) => test.result === 'acceptable')).toHaveLength(0);
      for (const group of suite.groups) expect(str(group.raw, 'sha')).toBe(f.sha);
    });

    for (const { group, test } of cases) {
      const spki = hex(str(group.raw, 'publicKeyDer'));
      const msg = hex(str(test.raw, 'msg'));
      const sig = hex(str(test.raw, 'sig'));
      const expected = test.result === 'valid';

      it(title(test), () => {
        const key = publicKeyFromSpki(spki);
        const base = { spec, algorithm: f.algorithm, encoding: f.encoding } as const;
        const raw = verify({ ...base, messageType: 'RAW', message: msg }, key, sig);
        const digest = createHash(nodeHash).update(msg).digest();
        const pre = verify({ ...base, messageType: 'DIGEST', message: digest }, key, sig);
        expect({ raw, digest: pre }).toEqual({ raw: expected, digest: expected });
      });
    }
  });
}
