/**
 * Nonces from the pool (fillRandomNonce): each call writes only its own bytes,
 * no two nonces repeat across many pool refills, and a request longer than
 * the pool still gets fresh bytes.
 */
import { describe, expect, it } from 'vitest';
import { encryptCiphertext, fillRandomNonce, parseCiphertext } from '../src/index.js';

describe('fillRandomNonce', () => {
  it('writes exactly `length` bytes at `offset` and nothing else', () => {
    const out = Buffer.alloc(40, 0xaa);
    fillRandomNonce(out, 10, 12);
    expect(out.subarray(0, 10).every((b) => b === 0xaa)).toBe(true);
    expect(out.subarray(22).every((b) => b === 0xaa)).toBe(true);
  });

  it('never repeats a nonce across pool refills', () => {
    // 12-byte nonces, 4 KiB pool: 3000 nonces span nine refills.
    const seen = new Set<string>();
    const nonce = Buffer.alloc(12);
    for (let i = 0; i < 3000; i += 1) {
      fillRandomNonce(nonce, 0, 12);
      seen.add(nonce.toString('hex'));
    }
    expect(seen.size).toBe(3000);
  });

  it('serves lengths that do not divide the pool, and lengths beyond it', () => {
    const odd = Buffer.alloc(7 * 1000);
    for (let i = 0; i < 1000; i += 1) fillRandomNonce(odd, i * 7, 7);
    const chunks = new Set(
      Array.from({ length: 1000 }, (_, i) => odd.toString('hex', i * 7, i * 7 + 7)),
    );
    expect(chunks.size).toBe(1000);
    const big = Buffer.alloc(5000);
    fillRandomNonce(big, 0, 5000);
    expect(big.subarray(0, 4096).equals(Buffer.alloc(4096))).toBe(false);
    expect(big.subarray(4096).equals(Buffer.alloc(904))).toBe(false);
  });

  it('gives every ciphertext its own IV', () => {
    const key = Buffer.alloc(32, 1);
    const ref = { keyId: '6f1c2a3e-4b5d-4c7e-8f90-a1b2c3d4e5f6', keyVersion: 1 };
    const ivs = new Set<string>();
    for (let i = 0; i < 1000; i += 1) {
      ivs.add(parseCiphertext(encryptCiphertext(key, ref, Buffer.from('x'))).iv.toString('hex'));
    }
    expect(ivs.size).toBe(1000);
  });
});
