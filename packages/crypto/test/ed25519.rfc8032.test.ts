/**
 * RFC 8032 §7.1 Ed25519 test vectors (TEST 1, 2, 3 and TEST 1024, a 1023-byte message)
 * against sign / verify with the ED25519 key spec. Ed25519 is deterministic, so signing must
 * reproduce the RFC's signature exactly.
 * Source: test/vectors/rfc/ed25519-rfc8032.json (see test/vectors/SOURCE.md).
 */
import { describe, expect, it } from 'vitest';
import {
  CryptoError,
  keySpec,
  privateKeyFromPkcs8,
  publicKeyFromSpki,
  publicKeyOfPkcs8,
  sign,
  verify,
} from '../src/index.js';
import type { SignRequest } from '../src/index.js';
import { hex, loadVectorJson, objArray, str } from './wycheproof.js';

// RFC 8410 §7 / §4: OneAsymmetricKey and SubjectPublicKeyInfo prefixes for id-Ed25519.
const PKCS8_PREFIX = hex('302e020100300506032b657004220420');
const SPKI_PREFIX = hex('302a300506032b6570032100');

const spec = keySpec('ED25519');

const vectors = objArray(loadVectorJson('rfc/ed25519-rfc8032.json'), 'tests').map((v) => ({
  id: str(v, 'id'),
  secretKey: hex(str(v, 'secretKey')),
  publicKey: hex(str(v, 'publicKey')),
  message: hex(str(v, 'message')),
  signature: hex(str(v, 'signature')),
}));

function request(message: Uint8Array): SignRequest {
  return { spec, algorithm: 'ED25519_SHA_512', messageType: 'RAW', message };
}

describe('RFC 8032 §7.1 Ed25519', () => {
  it('has TEST 1, 2, 3 and 1024 with the documented message lengths', () => {
    expect(vectors.map((v) => [v.id, v.message.length])).toEqual([
      ['TEST 1', 0],
      ['TEST 2', 1],
      ['TEST 3', 2],
      ['TEST 1024', 1023],
    ]);
  });

  for (const v of vectors) {
    const pkcs8 = Buffer.concat([PKCS8_PREFIX, v.secretKey]);
    const spki = Buffer.concat([SPKI_PREFIX, v.publicKey]);

    it(`${v.id}: public key derived from the secret key`, () => {
      expect(publicKeyOfPkcs8(pkcs8).toString('hex')).toBe(spki.toString('hex'));
    });

    it(`${v.id}: sign reproduces the signature`, () => {
      const signature = sign(request(v.message), privateKeyFromPkcs8(pkcs8));
      expect(signature.toString('hex')).toBe(v.signature.toString('hex'));
    });

    it(`${v.id}: verify accepts the signature`, () => {
      expect(verify(request(v.message), publicKeyFromSpki(spki), v.signature)).toBe(true);
    });

    it(`${v.id}: verify rejects a modified signature or message`, () => {
      const key = publicKeyFromSpki(spki);
      for (const i of [0, 31, 32, 63]) {
        const sig = Buffer.from(v.signature);
        sig[i] = (sig[i] ?? 0) ^ 0x01;
        expect(verify(request(v.message), key, sig)).toBe(false);
      }
      const message = Buffer.concat([v.message, Buffer.of(0)]);
      expect(verify(request(message), key, v.signature)).toBe(false);
      expect(verify(request(v.message), key, v.signature.subarray(0, 63))).toBe(false);
    });
  }

  it('refuses DIGEST requests (Ed25519 signs messages)', () => {
    const v = vectors[0]!;
    const req: SignRequest = { ...request(Buffer.alloc(64)), messageType: 'DIGEST' };
    const key = publicKeyFromSpki(Buffer.concat([SPKI_PREFIX, v.publicKey]));
    expect(() => verify(req, key, v.signature)).toThrow(CryptoError);
  });
});
