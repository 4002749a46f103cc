/**
 * ECDH on P-256 and X25519: both sides agree, results match an independent computation and
 * RFC 7748, and keys on other or mixed curves are refused.
 */
import {
  type KeyObject,
  createECDH,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
} from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type EcdhCurve, SecretBytes, ecdh, generateEcdhKeyPair } from '../src/index.js';

const CURVES: readonly EcdhCurve[] = ['P-256', 'X25519'];

function b64url(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64url');
}

function agree(privateKey: KeyObject, publicKey: KeyObject): Buffer {
  const secret = ecdh(privateKey, publicKey);
  try {
    return Buffer.from(secret.bytes);
  } finally {
    secret.zero();
  }
}

describe.each(CURVES)('ECDH %s', (curve) => {
  it('gives both parties the same 32-byte secret', () => {
    for (let i = 0; i < 10; i++) {
      const alice = generateEcdhKeyPair(curve);
      const bob = generateEcdhKeyPair(curve);
      const a = agree(alice.privateKey, bob.publicKey);
      const b = agree(bob.privateKey, alice.publicKey);
      expect(a.length).toBe(32);
      expect(a.equals(b)).toBe(true);
    }
  });

  it('gives different secrets for different peers', () => {
    const alice = generateEcdhKeyPair(curve);
    const bob = generateEcdhKeyPair(curve);
    const carol = generateEcdhKeyPair(curve);
    expect(
      agree(alice.privateKey, bob.publicKey).equals(agree(alice.privateKey, carol.publicKey)),
    ).toBe(false);
  });

  it('returns a SecretBytes holder the caller can zero', () => {
    const alice = generateEcdhKeyPair(curve);
    const secret = ecdh(alice.privateKey, generateEcdhKeyPair(curve).publicKey);
    expect(secret).toBeInstanceOf(SecretBytes);
    secret.zero();
    expect(() => secret.bytes).toThrow(expect.objectContaining({ code: 'ZEROIZED' }));
  });

  it('accepts a peer key re-imported from SPKI DER', () => {
    const alice = generateEcdhKeyPair(curve);
    const bob = generateEcdhKeyPair(curve);
    const spki = bob.publicKey.export({ format: 'der', type: 'spki' });
    const imported = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    expect(agree(alice.privateKey, imported).equals(agree(bob.privateKey, alice.publicKey))).toBe(
      true,
    );
  });
});

describe('ECDH results against independent computations', () => {
  it('P-256 matches node:crypto createECDH on the raw scalar (the x-coordinate)', () => {
    const alice = generateEcdhKeyPair('P-256');
    const bob = generateEcdhKeyPair('P-256');
    const d = alice.privateKey.export({ format: 'jwk' }).d!;
    const legacy = createECDH('prime256v1');
    legacy.setPrivateKey(Buffer.from(d, 'base64url'));
    const bobPoint = bob.publicKey.export({ format: 'der', type: 'spki' }).subarray(-65);
    expect(bobPoint[0]).toBe(0x04);
    expect(agree(alice.privateKey, bob.publicKey).equals(legacy.computeSecret(bobPoint))).toBe(
      true,
    );
  });

  it('X25519 reproduces RFC 7748 §6.1', () => {
    const alicePrivate = createPrivateKey({
      key: {
        kty: 'OKP',
        crv: 'X25519',
        d: b64url('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a'),
        x: b64url('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a'),
      },
      format: 'jwk',
    });
    const bobPublic = createPublicKey({
      key: {
        kty: 'OKP',
        crv: 'X25519',
        x: b64url('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f'),
      },
      format: 'jwk',
    });
    expect(agree(alicePrivate, bobPublic).toString('hex')).toBe(
      '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742',
    );
  });

  it('X25519 refuses a low-order peer key whose output is all zeros, as INVALID_KEY', () => {
    const alice = generateEcdhKeyPair('X25519');
    // u = 0 and u = 1 are points of small order (RFC 7748 §6.1: check for the all-zero value).
    for (const u of ['00'.repeat(32), '01' + '00'.repeat(31)]) {
      const peer = createPublicKey({
        key: { kty: 'OKP', crv: 'X25519', x: b64url(u) },
        format: 'jwk',
      });
      expect(() => ecdh(alice.privateKey, peer), u).toThrow(
        expect.objectContaining({ code: 'INVALID_KEY' }),
      );
    }
  });
});

describe('ECDH curve checks', () => {
  const p256 = generateEcdhKeyPair('P-256');
  const x25519 = generateEcdhKeyPair('X25519');

  const others: [string, { privateKey: KeyObject; publicKey: KeyObject }][] = [
    ['P-384', generateKeyPairSync('ec', { namedCurve: 'P-384' })],
    ['P-521', generateKeyPairSync('ec', { namedCurve: 'P-521' })],
    ['secp256k1', generateKeyPairSync('ec', { namedCurve: 'secp256k1' })],
    ['X448', generateKeyPairSync('x448')],
    ['Ed25519', generateKeyPairSync('ed25519')],
    ['RSA', generateKeyPairSync('rsa', { modulusLength: 1024 })],
  ];

  it.each(CURVES)(
    '%s refuses a public key where the private key belongs, as INVALID_KEY',
    (curve) => {
      const alice = generateEcdhKeyPair(curve);
      expect(() => ecdh(alice.publicKey, alice.publicKey)).toThrow(
        expect.objectContaining({ code: 'INVALID_KEY' }),
      );
    },
  );

  it('refuses mixed curves as INVALID_KEY', () => {
    expect(() => ecdh(p256.privateKey, x25519.publicKey)).toThrow(
      expect.objectContaining({ code: 'INVALID_KEY' }),
    );
    expect(() => ecdh(x25519.privateKey, p256.publicKey)).toThrow(
      expect.objectContaining({ code: 'INVALID_KEY' }),
    );
  });

  it.each(others)('refuses %s keys, on either side, as INVALID_KEY', (_name, other) => {
    for (const [privateKey, publicKey] of [
      [other.privateKey, other.publicKey],
      [other.privateKey, p256.publicKey],
      [other.privateKey, x25519.publicKey],
      [p256.privateKey, other.publicKey],
      [x25519.privateKey, other.publicKey],
    ] as const) {
      expect(() => ecdh(privateKey, publicKey)).toThrow(
        expect.objectContaining({ code: 'INVALID_KEY' }),
      );
    }
  });
});
