import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  createHash,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  verify,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ecdsaDerToP1363, ecdsaP1363ToDer, ecFieldBytes } from '../src/signature-encoding.js';
import { ecdsaVerifyDigest } from '../src/digest-sign.js';

const CURVES = ['P-256', 'P-384', 'P-521'] as const;

function hex(value: string): Buffer {
  return Buffer.from(value.replace(/\s+/g, ''), 'hex');
}

describe('ecFieldBytes', () => {
  it('is the byte length of the curve order', () => {
    expect(ecFieldBytes('P-256')).toBe(32);
    expect(ecFieldBytes('P-384')).toBe(48);
    expect(ecFieldBytes('P-521')).toBe(66);
  });
});

describe('round trips', () => {
  // Values biased towards leading zero bytes and set top bits, where encodings go wrong.
  const halfOf = (width: number): fc.Arbitrary<Uint8Array> =>
    fc
      .tuple(
        fc.integer({ min: 0, max: width }),
        fc.uint8Array({ minLength: width, maxLength: width }),
        fc.boolean(),
      )
      .map(([zeros, bytes, topBit]) => {
        const out = Uint8Array.from(bytes);
        out.fill(0, 0, zeros);
        if (topBit && zeros < width) out[zeros] = out[zeros]! | 0x80;
        return out;
      });

  for (const curve of CURVES) {
    const width = ecFieldBytes(curve);

    it(`${curve}: P1363 -> DER -> P1363 is the identity`, () => {
      fc.assert(
        fc.property(halfOf(width), halfOf(width), (r, s) => {
          const p1363 = Buffer.concat([r, s]);
          const der = ecdsaP1363ToDer(p1363);
          expect(ecdsaDerToP1363(der, width)).toEqual(p1363);
        }),
        { numRuns: 500 },
      );
    });

    it(`${curve}: DER -> P1363 -> DER is the identity for well-formed DER`, () => {
      fc.assert(
        fc.property(halfOf(width), halfOf(width), (r, s) => {
          const der = ecdsaP1363ToDer(Buffer.concat([r, s]));
          const p1363 = ecdsaDerToP1363(der, width);
          expect(p1363).toBeDefined();
          expect(ecdsaP1363ToDer(p1363!)).toEqual(der);
        }),
        { numRuns: 500 },
      );
    });
  }

  it('encodes zero and small integers minimally', () => {
    expect(ecdsaP1363ToDer(Buffer.alloc(64))).toEqual(hex('3006 020100 020100'));
    const oneAndTop = Buffer.alloc(64);
    oneAndTop[31] = 1;
    oneAndTop[32] = 0x80;
    expect(ecdsaP1363ToDer(oneAndTop).subarray(0, 9)).toEqual(hex('3026 020101 022100 80'));
  });

  it('uses a long-form sequence length for P-521 when needed', () => {
    const p1363 = Buffer.alloc(132, 0xff);
    p1363[0] = 0x01;
    p1363[66] = 0x01;
    const der = ecdsaP1363ToDer(p1363);
    // Each INTEGER: 02 42 (66 octets, top bit of 0x01 clear) = 68 octets; 136 in all.
    expect(der.subarray(0, 3)).toEqual(hex('308188'));
    expect(der).toHaveLength(139);
    expect(ecdsaDerToP1363(der, 66)).toEqual(p1363);
  });

  it('rejects P1363 input that cannot be split into two halves', () => {
    expect(() => ecdsaP1363ToDer(Buffer.alloc(0))).toThrow(RangeError);
    expect(() => ecdsaP1363ToDer(Buffer.alloc(63))).toThrow(RangeError);
  });

  it('rejects a nonsensical field width', () => {
    const der = hex('3006 020101 020101');
    expect(() => ecdsaDerToP1363(der, 0)).toThrow(RangeError);
    expect(() => ecdsaDerToP1363(der, 1.5)).toThrow(RangeError);
  });
});

describe('agreement with node:crypto encodings', () => {
  for (const curve of CURVES) {
    it(curve, () => {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
      const width = ecFieldBytes(curve);
      for (let i = 0; i < 40; i += 1) {
        const message = randomBytes(16);
        // node's default ECDSA output is DER; converting it must give the P1363 node accepts,
        // and converting back must reproduce node's exact bytes.
        const der = sign('sha256', message, privateKey);
        const p1363 = ecdsaDerToP1363(der, width);
        expect(p1363).toHaveLength(2 * width);
        const p1363Key = { key: publicKey, dsaEncoding: 'ieee-p1363' as const };
        expect(verify('sha256', message, p1363Key, p1363!)).toBe(true);
        expect(ecdsaP1363ToDer(p1363!)).toEqual(der);
        // And in the other direction, from node's P1363 output.
        const fixed = sign('sha256', message, { key: privateKey, dsaEncoding: 'ieee-p1363' });
        const converted = ecdsaP1363ToDer(fixed);
        expect(verify('sha256', message, publicKey, converted)).toBe(true);
        expect(ecdsaDerToP1363(converted, width)).toEqual(fixed);
      }
    });
  }
});

describe('strict DER parsing', () => {
  // r = 0x7f.., s = 0x80.. (needs a 0x00 pad): a minimal, valid P-256 signature.
  const r = '7f' + '11'.repeat(31);
  const s = '80' + '22'.repeat(31);
  const valid = hex(`3045 0220 ${r} 0221 00${s}`);

  it('accepts the valid encoding', () => {
    expect(ecdsaDerToP1363(valid, 32)).toEqual(hex(r + s));
  });

  const malformed: [string, string][] = [
    ['empty input', ''],
    ['a lone tag', '30'],
    ['trailing bytes', `3045 0220 ${r} 0221 00${s} 00`],
    ['truncated', `3045 0220 ${r} 0221 00${s}`.slice(0, -2)],
    ['sequence length one too long', `3046 0220 ${r} 0221 00${s}`],
    ['sequence length one too short', `3044 0220 ${r} 0221 00${s}`],
    ['integer length one too long', `3045 0221 ${r} 0221 00${s}`],
    ['integer length one too short', `3045 021f ${r} 0221 00${s}`],
    ['non-minimal integer (needless 0x00)', `3046 0221 00${r} 0221 00${s}`],
    ['negative integer (missing 0x00)', `3044 0220 ${r} 0220 ${s}`],
    ['empty integer', `3025 0200 0221 00${s}`],
    ['non-minimal zero', '3007 02020000 020101'],
    ['long-form length where short form fits', `308145 0220 ${r} 0221 00${s}`],
    ['long-form integer length', `3046 028120 ${r} 0221 00${s}`],
    ['indefinite length', `3080 0220 ${r} 0221 00${s} 0000`],
    ['wrong outer tag (SET)', `3145 0220 ${r} 0221 00${s}`],
    ['wrong inner tag (BIT STRING)', `3045 0320 ${r} 0221 00${s}`],
    ['a third integer', `3048 0220 ${r} 0221 00${s} 020101`],
    ['only one integer', `3022 0220 ${r}`],
    ['integer wider than the field', `3046 0221 01${r} 0221 00${s}`],
    ['two sequences', `3006 020101 020101 3006 020101 020101`],
  ];

  for (const [name, encoding] of malformed) {
    it(`returns undefined for ${name}`, () => {
      expect(ecdsaDerToP1363(hex(encoding), 32)).toBeUndefined();
    });
  }

  it('enforces minimal long-form lengths (P-521 sizes)', () => {
    const long = ecdsaP1363ToDer(Buffer.alloc(132, 0x7f));
    expect(long.subarray(0, 2)).toEqual(hex('3081'));
    expect(ecdsaDerToP1363(long, 66)).toBeDefined();
    // The same length with a leading zero length octet is BER, not DER.
    const padded = Buffer.concat([hex('308200'), long.subarray(2)]);
    expect(ecdsaDerToP1363(padded, 66)).toBeUndefined();
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 150 }), fc.constantFrom(32, 48, 66), (bytes, w) => {
        const result = ecdsaDerToP1363(bytes, w);
        if (result !== undefined) {
          // Anything accepted is the unique encoding of what it decodes to.
          expect(ecdsaP1363ToDer(result)).toEqual(Buffer.from(bytes));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts nothing but the re-encoding when mutating valid signatures', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: valid.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        (index, delta) => {
          const mutated = Buffer.from(valid);
          mutated[index] = (mutated[index]! + delta) & 0xff;
          const result = ecdsaDerToP1363(mutated, 32);
          if (result !== undefined) expect(ecdsaP1363ToDer(result)).toEqual(mutated);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

interface WycheproofEcdsaFile {
  testGroups: {
    publicKeyDer: string;
    sha: 'SHA-256' | 'SHA-384' | 'SHA-512';
    tests: { tcId: number; msg: string; sig: string; result: string; flags: string[] }[];
  }[];
}

describe('Wycheproof ECDSA DER vectors (strict parsing + ecdsaVerifyDigest)', () => {
  const files: [string, number][] = [
    ['ecdsa_secp256r1_sha256_test.json', 32],
    ['ecdsa_secp384r1_sha384_test.json', 48],
    ['ecdsa_secp521r1_sha512_test.json', 66],
  ];
  for (const [file, width] of files) {
    it(file, () => {
      const url = new URL(`./vectors/wycheproof/${file}`, import.meta.url);
      const data = JSON.parse(readFileSync(url, 'utf8')) as WycheproofEcdsaFile;
      const mismatches: number[] = [];
      let rejectedByParser = 0;
      for (const group of data.testGroups) {
        const key = createPublicKey({
          key: Buffer.from(group.publicKeyDer, 'hex'),
          format: 'der',
          type: 'spki',
        });
        const hash = group.sha.replace('-', '').toLowerCase();
        for (const test of group.tests) {
          const p1363 = ecdsaDerToP1363(Buffer.from(test.sig, 'hex'), width);
          if (p1363 === undefined) rejectedByParser += 1;
          const digest = createHash(hash).update(Buffer.from(test.msg, 'hex')).digest();
          const ok = p1363 !== undefined && ecdsaVerifyDigest(key, digest, p1363);
          if (test.result !== 'acceptable' && ok !== (test.result === 'valid')) {
            mismatches.push(test.tcId);
          }
        }
      }
      expect(mismatches).toEqual([]);
      // Most invalid vectors are encoding faults that the parser alone must catch.
      expect(rejectedByParser).toBeGreaterThan(100);
    });
  }
});
