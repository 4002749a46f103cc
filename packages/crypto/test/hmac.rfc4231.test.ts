/**
 * RFC 4231 §4 test cases 1-7 against hmac / hmacVerify for SHA-256, SHA-384 and SHA-512.
 * Test case 5 specifies the output truncated to 128 bits; the comparison is on that prefix.
 * Source: test/vectors/rfc/hmac-rfc4231.json (see test/vectors/SOURCE.md).
 */
import { describe, expect, it } from 'vitest';
import { hmac, hmacVerify } from '../src/index.js';
import type { HashName } from '../src/index.js';
import { hex, loadVectorJson, obj, objArray, optNum, str } from './wycheproof.js';

const HASHES: readonly HashName[] = ['SHA-256', 'SHA-384', 'SHA-512'];

const vectors = objArray(loadVectorJson('rfc/hmac-rfc4231.json'), 'tests').map((v) => {
  const mac = obj(v, 'mac');
  return {
    id: str(v, 'id'),
    key: hex(str(v, 'key')),
    data: hex(str(v, 'data')),
    truncateToBytes: optNum(v, 'truncateToBytes'),
    mac: new Map(HASHES.map((hash) => [hash, hex(str(mac, hash))])),
  };
});

describe('RFC 4231 HMAC-SHA-256/384/512', () => {
  it('has test cases 1-7', () => {
    expect(vectors.map((v) => v.id)).toEqual(['4.2', '4.3', '4.4', '4.5', '4.6', '4.7', '4.8']);
  });

  for (const v of vectors) {
    for (const hash of HASHES) {
      const expected = v.mac.get(hash)!;
      const name = `§${v.id} HMAC-${hash}${v.truncateToBytes === undefined ? '' : ' (truncated)'}`;

      it(name, () => {
        const mac = hmac(hash, v.key, v.data);
        expect(mac.length).toBe(Number(hash.slice(4)) / 8);
        const compared = v.truncateToBytes === undefined ? mac : mac.subarray(0, v.truncateToBytes);
        expect(compared.toString('hex')).toBe(expected.toString('hex'));
      });

      if (v.truncateToBytes === undefined) {
        it(`${name}: hmacVerify accepts the MAC and rejects a flipped bit`, () => {
          expect(hmacVerify(hash, v.key, v.data, expected)).toBe(true);
          for (const i of [0, expected.length - 1]) {
            const tampered = Buffer.from(expected);
            tampered[i] = (tampered[i] ?? 0) ^ 0x01;
            expect(hmacVerify(hash, v.key, v.data, tampered)).toBe(false);
          }
          expect(hmacVerify(hash, v.key, v.data, expected.subarray(0, 16))).toBe(false);
        });
      }
    }
  }
});
