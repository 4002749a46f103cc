/**
 * Wycheproof RSAES-OAEP decryption vectors (rsaes_oaep_decrypt_schema_v1) against
 * rsaOaepDecrypt, for SHA-1/MGF1-SHA-1 and SHA-256/MGF1-SHA-256 with 2048-bit keys.
 *
 * valid: decryption returns msg, and rsaOaepEncrypt → rsaOaepDecrypt round-trips msg.
 * invalid: decryption fails with the uniform CryptoError INVALID_CIPHERTEXT.
 * The files have no "acceptable" cases.
 *
 * Skipped: the API always uses the empty OAEP label (RFC 8017 §7.1, L = ""), so cases encrypted
 * under a non-empty label cannot be expressed; they are listed below by tcId and the test
 * checks that exactly those cases carry a label.
 */
import { describe, expect, it } from 'vitest';
import {
  privateKeyFromPkcs8,
  publicKeyFromSpki,
  publicKeyOfPkcs8,
  rsaOaepDecrypt,
  rsaOaepEncrypt,
} from '../src/index.js';
import type { OaepHash } from '../src/index.js';
import { allTests, expectCryptoError, hex, loadWycheproof, str, title } from './wycheproof.js';

const LABEL_REASON = 'encrypted with a non-empty OAEP label; the API only supports the empty label';

interface OaepFile {
  readonly file: string;
  readonly hash: OaepHash;
  readonly skipped: ReadonlyMap<number, string>;
  readonly expectedSkipped: number;
}

const FILES: readonly OaepFile[] = [
  {
    file: 'rsa_oaep_2048_sha1_mgf1sha1_test.json',
    hash: 'SHA-1',
    skipped: new Map([8, 9, 10, 33, 34, 35, 36].map((tcId) => [tcId, LABEL_REASON])),
    expectedSkipped: 7,
  },
  {
    file: 'rsa_oaep_2048_sha256_mgf1sha256_test.json',
    hash: 'SHA-256',
    skipped: new Map([8, 9, 10, 33, 34, 35, 36, 37].map((tcId) => [tcId, LABEL_REASON])),
    expectedSkipped: 8,
  },
];

for (const f of FILES) {
  const suite = loadWycheproof(f.file, 'rsaes_oaep_decrypt_schema_v1.json');

  describe(`Wycheproof ${suite.file}`, () => {
    const cases = allTests(suite);

    it('covers every vector in the file; skipped cases are exactly the labelled ones', () => {
      expect(cases.length).toBe(suite.numberOfTests);
      expect(f.skipped.size).toBe(f.expectedSkipped);
      const labelled = cases
        .filter(({ test }) => str(test.raw, 'label') !== '')
        .map(({ test }) => test.tcId);
      expect(labelled).toEqual([...f.skipped.keys()]);
      expect(cases.filter(({ test }) => test.result === 'acceptable')).toHaveLength(0);
      for (const group of suite.groups) {
        expect(str(group.raw, 'sha')).toBe(f.hash);
        expect(str(group.raw, 'mgf')).toBe('MGF1');
        expect(str(group.raw, 'mgfSha')).toBe(f.hash);
      }
    });

    for (const { group, test } of cases) {
      const reason = f.skipped.get(test.tcId);
      if (reason !== undefined) {
        it.skip(`${title(test)} — skipped: ${reason}`, () => undefined);
        continue;
      }
      const pkcs8 = hex(str(group.raw, 'privateKeyPkcs8'));
      const msg = hex(str(test.raw, 'msg'));
      const ct = hex(str(test.raw, 'ct'));

      if (test.result === 'valid') {
        it(title(test), () => {
          const privateKey = privateKeyFromPkcs8(pkcs8);
          expect(rsaOaepDecrypt(privateKey, f.hash, ct).toString('hex')).toBe(msg.toString('hex'));
          const publicKey = publicKeyFromSpki(publicKeyOfPkcs8(pkcs8));
          const again = rsaOaepEncrypt(publicKey, f.hash, msg);
          expect(rsaOaepDecrypt(privateKey, f.hash, again).toString('hex')).toBe(
            msg.toString('hex'),
          );
        });
      } else {
        it(title(test), () => {
          const privateKey = privateKeyFromPkcs8(pkcs8);
          expectCryptoError('INVALID_CIPHERTEXT', () => rsaOaepDecrypt(privateKey, f.hash, ct));
        });
      }
    }
  });
}
