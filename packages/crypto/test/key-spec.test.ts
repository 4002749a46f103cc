/**
 * The key-spec descriptor table: lookups, internal consistency of every descriptor, and that
 * generateKeyMaterial() gives material of the described form which works with every
 * encryption and MAC algorithm its spec lists (signing: sign.roundtrip.test.ts).
 */
import { createHmac } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type EncryptionAlgorithm,
  type KeySpecName,
  type OaepHash,
  ENCRYPTION_ALGORITHMS,
  KEY_SPEC_NAMES,
  KEY_USAGES,
  MAC_ALGORITHMS,
  SIGNING_ALGORITHMS,
  decryptCiphertext,
  encryptCiphertext,
  generateKeyMaterial,
  hashLength,
  hmac,
  hmacVerify,
  isKeySpecName,
  keyObjectMatchesSpec,
  keySpec,
  nodeHashName,
  parseCiphertext,
  privateKeyFromPkcs8,
  publicKeyFromSpki,
  publicKeyOfPkcs8,
  rsaOaepDecrypt,
  rsaOaepEncrypt,
  rsaOaepMaxPlaintext,
  signingHash,
} from '../src/index.js';

const SPECS = KEY_SPEC_NAMES.map((name) => keySpec(name));

describe('keySpec lookup', () => {
  it('resolves every listed name to its own descriptor', () => {
    for (const name of KEY_SPEC_NAMES) {
      expect(isKeySpecName(name)).toBe(true);
      expect(keySpec(name).name).toBe(name);
    }
  });

  it('refuses unknown names, other cases and Object.prototype members as UNSUPPORTED', () => {
    for (const name of ['NOPE', '', 'aes_256', 'AES256', 'RSA_1024', 'toString', '__proto__']) {
      expect(isKeySpecName(name), name).toBe(false);
      expect(() => keySpec(name), name).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
    }
  });
});

describe.each(SPECS)('$name descriptor', (spec) => {
  it('has its defaultUsage among its usages, and only known usages', () => {
    expect(spec.usages).toContain(spec.defaultUsage);
    expect(spec.usages.length).toBeGreaterThan(0);
    for (const usage of spec.usages) expect(KEY_USAGES).toContain(usage);
    expect(new Set(spec.usages).size).toBe(spec.usages.length);
  });

  it('lists algorithms exactly for the usages it allows', () => {
    expect(spec.usages.includes('SIGN_VERIFY')).toBe(spec.signingAlgorithms.length > 0);
    expect(spec.usages.includes('ENCRYPT_DECRYPT')).toBe(spec.encryptionAlgorithms.length > 0);
    expect(spec.usages.includes('GENERATE_VERIFY_MAC')).toBe(spec.macAlgorithms.length > 0);
    for (const a of spec.signingAlgorithms) expect(SIGNING_ALGORITHMS).toContain(a);
    for (const a of spec.encryptionAlgorithms) expect(ENCRYPTION_ALGORITHMS).toContain(a);
    for (const a of spec.macAlgorithms) expect(MAC_ALGORITHMS).toContain(a);
  });

  it('holds symmetric keys raw and asymmetric keys as PKCS#8', () => {
    expect(spec.material).toBe(spec.symmetric ? 'raw' : 'pkcs8');
    expect(spec.symmetric).toBe(['aes', 'chacha20', 'hmac'].includes(spec.family));
  });

  it('names a cipher exactly when it is a symmetric encryption key', () => {
    const symmetricEncryption = spec.symmetric && spec.usages.includes('ENCRYPT_DECRYPT');
    expect(spec.cipher !== undefined).toBe(symmetricEncryption);
  });

  it('has the family-specific fields its family needs', () => {
    expect(spec.curve !== undefined).toBe(spec.family === 'ec');
    expect(spec.hash !== undefined).toBe(spec.family === 'hmac');
    if (spec.family === 'hmac') {
      expect(spec.macAlgorithms).toEqual([`HMAC_SHA_${spec.bits}`]);
      expect(hashLength(spec.hash!) * 8).toBe(spec.bits);
    }
    if (spec.family === 'ec') {
      // As AWS KMS: each curve signs with the hash of matching strength only.
      expect(spec.signingAlgorithms).toHaveLength(1);
      expect(spec.curve).toBe(`P-${spec.bits}`);
    }
  });
});

describe('key-spec table contents', () => {
  it('matches the documented specs', () => {
    const summary = Object.fromEntries(
      SPECS.map((s) => [s.name, [s.family, s.bits, s.defaultUsage, s.curve ?? s.hash ?? '-']]),
    );
    expect(summary).toEqual({
      AES_256: ['aes', 256, 'ENCRYPT_DECRYPT', '-'],
      AES_128: ['aes', 128, 'ENCRYPT_DECRYPT', '-'],
      CHACHA20_POLY1305: ['chacha20', 256, 'ENCRYPT_DECRYPT', '-'],
      HMAC_256: ['hmac', 256, 'GENERATE_VERIFY_MAC', 'SHA-256'],
      HMAC_384: ['hmac', 384, 'GENERATE_VERIFY_MAC', 'SHA-384'],
      HMAC_512: ['hmac', 512, 'GENERATE_VERIFY_MAC', 'SHA-512'],
      ECC_NIST_P256: ['ec', 256, 'SIGN_VERIFY', 'P-256'],
      ECC_NIST_P384: ['ec', 384, 'SIGN_VERIFY', 'P-384'],
      ECC_NIST_P521: ['ec', 521, 'SIGN_VERIFY', 'P-521'],
      ED25519: ['ed25519', 256, 'SIGN_VERIFY', '-'],
      RSA_2048: ['rsa', 2048, 'ENCRYPT_DECRYPT', '-'],
      RSA_3072: ['rsa', 3072, 'ENCRYPT_DECRYPT', '-'],
      RSA_4096: ['rsa', 4096, 'ENCRYPT_DECRYPT', '-'],
    });
    expect(keySpec('ECC_NIST_P256').signingAlgorithms).toEqual(['ECDSA_SHA_256']);
    expect(keySpec('ECC_NIST_P384').signingAlgorithms).toEqual(['ECDSA_SHA_384']);
    expect(keySpec('ECC_NIST_P521').signingAlgorithms).toEqual(['ECDSA_SHA_512']);
    expect(keySpec('ED25519').signingAlgorithms).toEqual(['ED25519_SHA_512']);
    expect(keySpec('RSA_2048').signingAlgorithms).toHaveLength(6);
    expect(keySpec('RSA_2048').encryptionAlgorithms).toEqual([
      'RSAES_OAEP_SHA_1',
      'RSAES_OAEP_SHA_256',
    ]);
    expect(keySpec('RSA_2048').usages).toEqual(['ENCRYPT_DECRYPT', 'SIGN_VERIFY']);
  });

  it('maps signing algorithms to their hashes', () => {
    const hashes = Object.fromEntries(SIGNING_ALGORITHMS.map((a) => [a, signingHash(a)]));
    expect(hashes).toEqual({
      ECDSA_SHA_256: 'SHA-256',
      ECDSA_SHA_384: 'SHA-384',
      ECDSA_SHA_512: 'SHA-512',
      ED25519_SHA_512: 'SHA-512',
      RSASSA_PSS_SHA_256: 'SHA-256',
      RSASSA_PSS_SHA_384: 'SHA-384',
      RSASSA_PSS_SHA_512: 'SHA-512',
      RSASSA_PKCS1_V1_5_SHA_256: 'SHA-256',
      RSASSA_PKCS1_V1_5_SHA_384: 'SHA-384',
      RSASSA_PKCS1_V1_5_SHA_512: 'SHA-512',
    });
  });

  it('gives hash lengths and node:crypto names', () => {
    expect([hashLength('SHA-256'), hashLength('SHA-384'), hashLength('SHA-512')]).toEqual([
      32, 48, 64,
    ]);
    expect([nodeHashName('SHA-256'), nodeHashName('SHA-384'), nodeHashName('SHA-512')]).toEqual([
      'sha256',
      'sha384',
      'sha512',
    ]);
  });
});

const OAEP_HASH: Record<Exclude<EncryptionAlgorithm, 'SYMMETRIC_DEFAULT'>, OaepHash> = {
  RSAES_OAEP_SHA_1: 'SHA-1',
  RSAES_OAEP_SHA_256: 'SHA-256',
};

describe('generateKeyMaterial', () => {
  // RSA-4096 generation takes a second or two: every spec's material is made once.
  const materials = new Map<KeySpecName, Buffer>();
  beforeAll(() => {
    for (const spec of SPECS) {
      const secret = generateKeyMaterial(spec);
      materials.set(spec.name, Buffer.from(secret.bytes));
      secret.zero();
    }
  });

  it.each(SPECS)('$name: material has the described form', (spec) => {
    const material = materials.get(spec.name)!;
    if (spec.material === 'raw') {
      expect(material.length * 8).toBe(spec.bits);
    } else {
      const privateKey = privateKeyFromPkcs8(material);
      expect(keyObjectMatchesSpec(privateKey, spec)).toBe(true);
      expect(keyObjectMatchesSpec(publicKeyFromSpki(publicKeyOfPkcs8(material)), spec)).toBe(true);
      if (spec.family === 'rsa') {
        expect(privateKey.asymmetricKeyDetails?.publicExponent).toBe(0x10001n);
      }
    }
  });

  it.each(SPECS)('$name: fresh material each time', (spec) => {
    if (spec.family === 'rsa' && spec.bits > 2048) return; // slow, and RSA_2048 shows the same
    const again = generateKeyMaterial(spec);
    expect(again.bytes.equals(materials.get(spec.name)!)).toBe(false);
    again.zero();
  });

  it.each(SPECS.filter((s) => s.encryptionAlgorithms.length > 0))(
    '$name: material encrypts and decrypts with every listed algorithm',
    (spec) => {
      const material = materials.get(spec.name)!;
      const plaintext = Buffer.from('a data key, say');
      for (const algorithm of spec.encryptionAlgorithms) {
        if (algorithm === 'SYMMETRIC_DEFAULT') {
          const ref = { keyId: '00000000-0000-4000-8000-000000000001', keyVersion: 1 };
          const blob = encryptCiphertext(
            material,
            ref,
            plaintext,
            { spec: spec.name },
            { ...(spec.cipher !== undefined && { cipher: spec.cipher }) },
          );
          const opened = decryptCiphertext(material, parseCiphertext(blob), { spec: spec.name });
          expect(opened.equals(plaintext)).toBe(true);
        } else {
          const hash = OAEP_HASH[algorithm];
          const privateKey = privateKeyFromPkcs8(material);
          const publicKey = publicKeyFromSpki(publicKeyOfPkcs8(material));
          const max = Buffer.alloc(rsaOaepMaxPlaintext(spec.bits, hash), 7);
          for (const message of [plaintext, max]) {
            const ciphertext = rsaOaepEncrypt(publicKey, hash, message);
            expect(ciphertext.length * 8).toBe(spec.bits);
            expect(rsaOaepDecrypt(privateKey, hash, ciphertext).equals(message)).toBe(true);
          }
          expect(() => rsaOaepEncrypt(publicKey, hash, Buffer.alloc(max.length + 1))).toThrow(
            expect.objectContaining({ code: 'INVALID_INPUT' }),
          );
        }
      }
    },
  );

  it.each(SPECS.filter((s) => s.macAlgorithms.length > 0))(
    '$name: material MACs with its hash, as node:crypto computes it',
    (spec) => {
      const material = materials.get(spec.name)!;
      const data = Buffer.from('message');
      const mac = hmac(spec.hash!, material, data);
      expect(mac.length * 8).toBe(spec.bits);
      const independent = createHmac(nodeHashName(spec.hash!), material).update(data).digest();
      expect(mac.equals(independent)).toBe(true);
      expect(hmacVerify(spec.hash!, material, data, mac)).toBe(true);
      expect(hmacVerify(spec.hash!, material, Buffer.from('messagE'), mac)).toBe(false);
      expect(hmacVerify(spec.hash!, material, data, mac.subarray(1))).toBe(false);
    },
  );
});
