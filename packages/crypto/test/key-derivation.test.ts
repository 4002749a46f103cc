/**
 * deriveKey (HKDF-SHA-256, empty salt, context as info: Vault Transit's derived keys) and
 * convergentNonce. HKDF is checked against RFC 5869 §2.2–2.3 written out with HMAC here,
 * independently of node:crypto's hkdf,.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { convergentNonce, deriveKey } from '../src/index.js';
import { expectCryptoError } from './wycheproof.js';

/** RFC 5869: PRK = HMAC(salt, IKM); T(i) = HMAC(PRK, T(i-1) ‖ info ‖ i). */
function hkdfByHand(ikm: Buffer, info: Buffer, length: number): Buffer {
  const prk = createHmac('sha256', Buffer.alloc(32)).update(ikm).digest();
  const blocks: Buffer[] = [];
  let previous = Buffer.alloc(0);
  for (let i = 1; blocks.length * 32 < length; i += 1) {
    previous = createHmac('sha256', prk)
      .update(Buffer.concat([previous, info, Buffer.from([i])]))
      .digest();
    blocks.push(previous);
  }
  return Buffer.concat(blocks).subarray(0, length);
}

describe('deriveKey', () => {
  it('is HKDF-SHA-256 with an empty salt and the context as info', () => {
    for (const length of [16, 32, 48, 64]) {
      const material = randomBytes(32);
      const context = randomBytes(1 + (length % 40));
      const derived = deriveKey(material, context, length);
      expect(derived.bytes.equals(hkdfByHand(material, context, length))).toBe(true);
      derived.zero();
    }
  });

  it('gives a prefix-consistent stream: the first 32 of 64 bytes are the 32-byte key', () => {
    const material = randomBytes(32);
    const context = Buffer.from('tenant-7');
    const short = deriveKey(material, context, 32);
    const long = deriveKey(material, context, 64);
    expect(long.bytes.subarray(0, 32).equals(short.bytes)).toBe(true);
  });

  it('differs per context and per material', () => {
    const material = randomBytes(32);
    const a = deriveKey(material, Buffer.from('a'), 32).bytes;
    const b = deriveKey(material, Buffer.from('b'), 32).bytes;
    const c = deriveKey(randomBytes(32), Buffer.from('a'), 32).bytes;
    expect(a.equals(b)).toBe(false);
    expect(a.equals(c)).toBe(false);
  });

  it('refuses an empty or over-long context, and empty material', () => {
    expectCryptoError('INVALID_INPUT', () => deriveKey(randomBytes(32), Buffer.alloc(0), 32));
    expectCryptoError('INVALID_INPUT', () => deriveKey(randomBytes(32), Buffer.alloc(1025), 32));
    expect(deriveKey(randomBytes(32), Buffer.alloc(1024, 1), 32).length).toBe(32);
    expectCryptoError('INVALID_KEY', () => deriveKey(Buffer.alloc(0), Buffer.from('x'), 32));
  });
});

describe('convergentNonce', () => {
  const hmacKey = randomBytes(32);

  it('is HMAC-SHA-256(key, canonical context ‖ plaintext) cut to 12 bytes', () => {
    const nonce = convergentNonce(hmacKey, Buffer.from('pt'));
    const expected = createHmac('sha256', hmacKey)
      .update(Buffer.from([0, 0]))
      .update(Buffer.from('pt'))
      .digest()
      .subarray(0, 12);
    expect(nonce.equals(expected)).toBe(true);
  });

  it('is the same for the same input and differs with plaintext or context', () => {
    const a = convergentNonce(hmacKey, Buffer.from('pt'), { k: 'v' });
    expect(a.equals(convergentNonce(hmacKey, Buffer.from('pt'), { k: 'v' }))).toBe(true);
    expect(a.equals(convergentNonce(hmacKey, Buffer.from('pu'), { k: 'v' }))).toBe(false);
    expect(a.equals(convergentNonce(hmacKey, Buffer.from('pt'), { k: 'w' }))).toBe(false);
  });

  it('refuses a short key', () => {
    expectCryptoError('INVALID_KEY', () => convergentNonce(randomBytes(16), Buffer.from('pt')));
  });
});
