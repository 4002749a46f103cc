/**
 * Public keys of asymmetric specs: derivation from PKCS#8, export as SPKI DER, PEM and JWK,
 * parsing back, spec matching, and the refusal of malformed or private input.
 */
import { type KeyObject, createPrivateKey, createPublicKey } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type KeySpecName,
  KEY_SPEC_NAMES,
  exportPublicKey,
  generateKeyMaterial,
  keyObjectMatchesSpec,
  keySpec,
  privateKeyFromPkcs8,
  publicKeyFromSpki,
  publicKeyOfPkcs8,
} from '../src/index.js';

interface Case {
  readonly name: KeySpecName;
  readonly jwk: Record<string, string | number>;
}

// Expected JWK members (RFC 7518 §6.2.1, §6.3.1; RFC 8037 §2): byte lengths of x, y, n.
const CASES: readonly Case[] = [
  { name: 'ECC_NIST_P256', jwk: { kty: 'EC', crv: 'P-256', x: 32, y: 32 } },
  { name: 'ECC_NIST_P384', jwk: { kty: 'EC', crv: 'P-384', x: 48, y: 48 } },
  { name: 'ECC_NIST_P521', jwk: { kty: 'EC', crv: 'P-521', x: 66, y: 66 } },
  { name: 'ED25519', jwk: { kty: 'OKP', crv: 'Ed25519', x: 32 } },
  { name: 'RSA_2048', jwk: { kty: 'RSA', e: 'AQAB', n: 256 } },
];

const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

const pkcs8 = new Map<KeySpecName, Buffer>();
beforeAll(() => {
  for (const { name } of CASES) {
    const material = generateKeyMaterial(keySpec(name));
    pkcs8.set(name, Buffer.from(material.bytes));
    material.zero();
  }
});

function spkiOf(name: KeySpecName): Buffer {
  return publicKeyOfPkcs8(pkcs8.get(name)!);
}

function spkiDerOf(key: KeyObject): Buffer {
  return key.export({ format: 'der', type: 'spki' });
}

describe.each(CASES)('$name public key', ({ name, jwk: expected }) => {
  it('is derived from the PKCS#8 material as node:crypto derives it', () => {
    const independent = spkiDerOf(
      createPublicKey(createPrivateKey({ key: pkcs8.get(name)!, format: 'der', type: 'pkcs8' })),
    );
    expect(spkiOf(name).equals(independent)).toBe(true);
  });

  it('exports as SPKI DER unchanged', () => {
    const spki = spkiOf(name);
    expect(exportPublicKey(spki, 'der').equals(spki)).toBe(true);
  });

  it('exports as SPKI PEM that parses back to the same key', () => {
    const spki = spkiOf(name);
    const pem = exportPublicKey(spki, 'pem');
    expect(pem.startsWith('-----BEGIN PUBLIC KEY-----\n')).toBe(true);
    expect(pem.endsWith('-----END PUBLIC KEY-----\n')).toBe(true);
    const body = pem.split('\n').slice(1, -2).join('');
    expect(Buffer.from(body, 'base64').equals(spki)).toBe(true);
    expect(spkiDerOf(publicKeyFromSpki(pem)).equals(spki)).toBe(true);
  });

  it('exports as a public JWK with the expected members and no private ones', () => {
    const spki = spkiOf(name);
    const jwk = exportPublicKey(spki, 'jwk');
    const members: Record<string, unknown> = { ...jwk };
    for (const [member, value] of Object.entries(expected)) {
      const actual = members[member];
      if (typeof value === 'number') {
        expect(typeof actual).toBe('string');
        expect(Buffer.from(actual as string, 'base64url').length, member).toBe(value);
      } else {
        expect(actual, member).toBe(value);
      }
    }
    for (const member of PRIVATE_JWK_MEMBERS) expect(jwk).not.toHaveProperty(member);
    const back = createPublicKey({ key: { ...jwk }, format: 'jwk' });
    expect(spkiDerOf(back).equals(spki)).toBe(true);
  });

  it('matches its own spec and no other', () => {
    const publicKey = publicKeyFromSpki(spkiOf(name));
    const privateKey = privateKeyFromPkcs8(pkcs8.get(name)!);
    for (const other of KEY_SPEC_NAMES) {
      const spec = keySpec(other);
      expect(keyObjectMatchesSpec(publicKey, spec), other).toBe(other === name);
      expect(keyObjectMatchesSpec(privateKey, spec), other).toBe(other === name);
    }
  });

  it('refuses its PKCS#8 private key where an SPKI DER is expected, as INVALID_KEY', () => {
    const material = pkcs8.get(name)!;
    expect(() => publicKeyFromSpki(material)).toThrow(
      expect.objectContaining({ code: 'INVALID_KEY' }),
    );
    expect(() => exportPublicKey(material, 'der')).toThrow(
      expect.objectContaining({ code: 'INVALID_KEY' }),
    );
    expect(() => exportPublicKey(material, 'pem')).toThrow(
      expect.objectContaining({ code: 'INVALID_KEY' }),
    );
    expect(() => exportPublicKey(material, 'jwk')).toThrow(
      expect.objectContaining({ code: 'INVALID_KEY' }),
    );
  });

  it('refuses its SPKI where PKCS#8 is expected, as INVALID_KEY', () => {
    expect(() => privateKeyFromPkcs8(spkiOf(name))).toThrow(
      expect.objectContaining({ code: 'INVALID_KEY' }),
    );
    expect(() => publicKeyOfPkcs8(spkiOf(name))).toThrow(
      expect.objectContaining({ code: 'INVALID_KEY' }),
    );
  });

  it('refuses a truncated SPKI as INVALID_KEY', () => {
    const spki = spkiOf(name);
    for (const length of [0, 1, 10, spki.length - 1]) {
      expect(() => publicKeyFromSpki(spki.subarray(0, length)), `length ${length}`).toThrow(
        expect.objectContaining({ code: 'INVALID_KEY' }),
      );
    }
  });
});

describe('malformed public and private keys', () => {
  it('refuses garbage as INVALID_KEY', () => {
    const garbage = [Buffer.alloc(0), Buffer.from('not a key'), Buffer.alloc(91, 0x30)];
    for (const bytes of garbage) {
      expect(() => publicKeyFromSpki(bytes)).toThrow(
        expect.objectContaining({ code: 'INVALID_KEY' }),
      );
      expect(() => privateKeyFromPkcs8(bytes)).toThrow(
        expect.objectContaining({ code: 'INVALID_KEY' }),
      );
      expect(() => publicKeyOfPkcs8(bytes)).toThrow(
        expect.objectContaining({ code: 'INVALID_KEY' }),
      );
      expect(() => exportPublicKey(bytes, 'jwk')).toThrow(
        expect.objectContaining({ code: 'INVALID_KEY' }),
      );
    }
  });

  it('refuses a PEM that is not a key as INVALID_KEY', () => {
    for (const pem of [
      '',
      'hello',
      '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n',
    ]) {
      expect(() => publicKeyFromSpki(pem)).toThrow(
        expect.objectContaining({ code: 'INVALID_KEY' }),
      );
    }
  });

  // node's createPublicKey() accepts a private-key PEM and derives its public key, so a caller
  // who pastes a private key where a public key belongs would not be told.
  it('refuses a PKCS#8 private-key PEM where an SPKI PEM is expected', () => {
    const pem = privateKeyFromPkcs8(pkcs8.get('ECC_NIST_P256')!)
      .export({ format: 'pem', type: 'pkcs8' })
      .toString();
    expect(() => publicKeyFromSpki(pem)).toThrow(expect.objectContaining({ code: 'INVALID_KEY' }));
  });
});
