import { describe, it, expect } from 'vitest';
import {
  constants,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  verify,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  ecdsaSignDigest,
  ecdsaVerifyDigest,
  rsaSignDigest,
  rsaVerifyDigest,
} from '../src/digest-sign.js';
import type { DigestHash } from '../src/digest-sign.js';

type Curve = 'P-256' | 'P-384' | 'P-521';
type NodeHash = 'sha256' | 'sha384' | 'sha512';

const NODE_HASH: Record<DigestHash, NodeHash> = {
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

/** Order n of each curve's base point (RFC 6979 appendix A.2.5–A.2.7 "q"). */
const ORDER: Record<Curve, string> = {
  'P-256': 'FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551',
  'P-384':
    'FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973',
  'P-521':
    '1FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF' +
    'FFA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386' +
    '409',
};

const WIDTH: Record<Curve, number> = { 'P-256': 32, 'P-384': 48, 'P-521': 66 };
const ORDER_BITS: Record<Curve, number> = { 'P-256': 256, 'P-384': 384, 'P-521': 521 };

function digestOf(hash: NodeHash, message: Uint8Array): Buffer {
  return createHash(hash).update(message).digest();
}

function hexBytes(hex: string, width: number): Buffer {
  return Buffer.from(hex.padStart(width * 2, '0'), 'hex');
}

function flipBit(bytes: Uint8Array, index: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[index] = copy[index]! ^ 0x01;
  return copy;
}

function readVectors(name: string): unknown {
  const url = new URL(`./vectors/wycheproof/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8'));
}

describe('ecdsaSignDigest / ecdsaVerifyDigest interoperate with node:crypto', () => {
  // The natural pairings, plus digests longer than n (truncated per FIPS 186-4 §6.4) and
  // shorter than n.
  const cases: [Curve, NodeHash][] = [
    ['P-256', 'sha256'],
    ['P-384', 'sha384'],
    ['P-521', 'sha512'],
    ['P-256', 'sha512'],
    ['P-384', 'sha512'],
    ['P-521', 'sha256'],
  ];

  for (const [curve, hash] of cases) {
    describe(`${curve} with ${hash}`, () => {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });

      it('node verifies signatures made here', () => {
        for (let i = 0; i < 8; i += 1) {
          const message = randomBytes(1 + i * 13);
          const signature = ecdsaSignDigest(privateKey, digestOf(hash, message));
          expect(signature).toHaveLength(2 * WIDTH[curve]);
          const key = { key: publicKey, dsaEncoding: 'ieee-p1363' as const };
          expect(verify(hash, message, key, signature)).toBe(true);
        }
      });

      it('verifies signatures made by node', () => {
        for (let i = 0; i < 8; i += 1) {
          const message = randomBytes(1 + i * 13);
          const key = { key: privateKey, dsaEncoding: 'ieee-p1363' as const };
          const signature = sign(hash, message, key);
          expect(ecdsaVerifyDigest(publicKey, digestOf(hash, message), signature)).toBe(true);
        }
      });

      it('is deterministic (RFC 6979)', () => {
        const digest = digestOf(hash, randomBytes(40));
        expect(ecdsaSignDigest(privateKey, digest)).toEqual(ecdsaSignDigest(privateKey, digest));
      });

      it('rejects tampered signatures, digests and keys', () => {
        const digest = digestOf(hash, randomBytes(40));
        const signature = ecdsaSignDigest(privateKey, digest);
        expect(ecdsaVerifyDigest(publicKey, digest, signature)).toBe(true);
        // A private key object verifies too, as with crypto.verify.
        expect(ecdsaVerifyDigest(privateKey, digest, signature)).toBe(true);
        expect(ecdsaVerifyDigest(publicKey, digest, flipBit(signature, 5))).toBe(false);
        expect(ecdsaVerifyDigest(publicKey, digest, flipBit(signature, WIDTH[curve] + 5))).toBe(
          false,
        );
        expect(ecdsaVerifyDigest(publicKey, flipBit(digest, 0), signature)).toBe(false);
        // Only the leftmost bits of a digest longer than n take part (FIPS 186-4 §6.4), so a
        // change in its last byte is invisible, exactly as with node.
        const truncated = digest.length * 8 > ORDER_BITS[curve];
        const lastFlipped = flipBit(digest, digest.length - 1);
        expect(ecdsaVerifyDigest(publicKey, lastFlipped, signature)).toBe(truncated);
        const other = generateKeyPairSync('ec', { namedCurve: curve }).publicKey;
        expect(ecdsaVerifyDigest(other, digest, signature)).toBe(false);
      });
    });
  }
});

describe('ecdsaVerifyDigest rejects malformed signatures without throwing', () => {
  for (const curve of ['P-256', 'P-384', 'P-521'] as const) {
    it(curve, () => {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
      const width = WIDTH[curve];
      const digest = digestOf('sha256', Buffer.from('digest'));
      const good = ecdsaSignDigest(privateKey, digest);
      const r = good.subarray(0, width);
      const s = good.subarray(width);
      const n = hexBytes(ORDER[curve], width);
      const zero = Buffer.alloc(width);
      const ones = Buffer.alloc(width, 0xff);
      const bad: Buffer[] = [
        Buffer.alloc(0),
        good.subarray(1),
        Buffer.concat([good, Buffer.of(0)]),
        Buffer.concat([Buffer.of(0), good]),
        Buffer.concat([zero, s]),
        Buffer.concat([r, zero]),
        Buffer.concat([n, s]),
        Buffer.concat([r, n]),
        Buffer.concat([ones, s]),
        Buffer.concat([r, ones]),
        Buffer.concat([s, r]),
      ];
      for (const signature of bad) {
        expect(ecdsaVerifyDigest(publicKey, digest, signature)).toBe(false);
      }
      // ECDSA itself is malleable: (r, n - s) is also valid. Callers that need a unique
      // signature must normalise s; this module, like node and AWS KMS, does not.
      const nMinusS = BigInt(`0x${ORDER[curve]}`) - BigInt(`0x${s.toString('hex')}`);
      const twin = Buffer.concat([r, hexBytes(nMinusS.toString(16), width)]);
      expect(ecdsaVerifyDigest(publicKey, digest, twin)).toBe(true);
    });
  }
});

describe('ecdsa key handling', () => {
  const digest = digestOf('sha256', Buffer.from('key handling'));

  it('refuses keys that are not P-256, P-384 or P-521 EC keys', () => {
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
    expect(() => ecdsaSignDigest(k1.privateKey, digest)).toThrow(TypeError);
    expect(() => ecdsaVerifyDigest(k1.publicKey, digest, Buffer.alloc(64))).toThrow(TypeError);
    const ed = generateKeyPairSync('ed25519');
    expect(() => ecdsaSignDigest(ed.privateKey, digest)).toThrow(TypeError);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() => ecdsaVerifyDigest(rsa.publicKey, digest, Buffer.alloc(64))).toThrow(TypeError);
  });

  it('refuses to sign with a public key', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => ecdsaSignDigest(publicKey, digest)).toThrow(TypeError);
  });
});

interface Rfc6979Key {
  curve: Curve;
  x: string;
  ux: string;
  uy: string;
  signatures: { hash: NodeHash; message: string; r: string; s: string }[];
}

/**
 * RFC 6979 appendix A.2.5 (P-256), A.2.6 (P-384) and A.2.7 (P-521), the SHA-2 rows with
 * message "sample" and "test". The cross-size rows (e.g. P-256 with SHA-512) exercise
 * bits2int truncation and the choice of HMAC hash from the digest. The last P-256 row is the
 * C2SP CCTV rfc6979 vector, whose first candidate k is out of range (step h.3 reseed).
 */
const RFC6979: Rfc6979Key[] = [
  {
    curve: 'P-256',
    x: 'C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721',
    ux: '60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6',
    uy: '7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299',
    signatures: [
      {
        hash: 'sha256',
        message: 'sample',
        r: 'EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716',
        s: 'F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8',
      },
      {
        hash: 'sha384',
        message: 'sample',
        r: '0EAFEA039B20E9B42309FB1D89E213057CBF973DC0CFC8F129EDDDC800EF7719',
        s: '4861F0491E6998B9455193E34E7B0D284DDD7149A74B95B9261F13ABDE940954',
      },
      {
        hash: 'sha512',
        message: 'sample',
        r: '8496A60B5E9B47C825488827E0495B0E3FA109EC4568FD3F8D1097678EB97F00',
        s: '2362AB1ADBE2B8ADF9CB9EDAB740EA6049C028114F2460F96554F61FAE3302FE',
      },
      {
        hash: 'sha256',
        message: 'test',
        r: 'F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367',
        s: '019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083',
      },
      {
        hash: 'sha384',
        message: 'test',
        r: '83910E8B48BB0C74244EBDF7F07A1C5413D61472BD941EF3920E623FBCCEBEB6',
        s: '8DDBEC54CF8CD5874883841D712142A56A8D0F218F5003CB0296B6B509619F2C',
      },
      {
        hash: 'sha512',
        message: 'test',
        r: '461D93F31B6540894788FD206C07CFA0CC35F46FA3C91816FFF1040AD1581A04',
        s: '39AF9F15DE0DB8D97E72719C74820D304CE5226E32DEDAE67519E840D1194E55',
      },
      {
        hash: 'sha256',
        message: 'wv[vnX',
        r: 'EFD9073B652E76DA1B5A019C0E4A2E3FA529B035A6ABB91EF67F0ED7A1F21234',
        s: '3DB4706C9D9F4A4FE13BB5E08EF0FAB53A57DBAB2061C83A35FA411C68D2BA33',
      },
    ],
  },
  {
    curve: 'P-384',
    x: '6B9D3DAD2E1B8C1C05B19875B6659F4DE23C3B667BF297BA9AA47740787137D896D5724E4C70A825F872C9EA60D2EDF5',
    ux: 'EC3A4E415B4E19A4568618029F427FA5DA9A8BC4AE92E02E06AAE5286B300C64DEF8F0EA9055866064A254515480BC13',
    uy: '8015D9B72D7D57244EA8EF9AC0C621896708A59367F9DFB9F54CA84B3F1C9DB1288B231C3AE0D4FE7344FD2533264720',
    signatures: [
      {
        hash: 'sha256',
        message: 'sample',
        r: '21B13D1E013C7FA1392D03C5F99AF8B30C570C6F98D4EA8E354B63A21D3DAA33BDE1E888E63355D92FA2B3C36D8FB2CD',
        s: 'F3AA443FB107745BF4BD77CB3891674632068A10CA67E3D45DB2266FA7D1FEEBEFDC63ECCD1AC42EC0CB8668A4FA0AB0',
      },
      {
        hash: 'sha384',
        message: 'sample',
        r: '94EDBB92A5ECB8AAD4736E56C691916B3F88140666CE9FA73D64C4EA95AD133C81A648152E44ACF96E36DD1E80FABE46',
        s: '99EF4AEB15F178CEA1FE40DB2603138F130E740A19624526203B6351D0A3A94FA329C145786E679E7B82C71A38628AC8',
      },
      {
        hash: 'sha512',
        message: 'sample',
        r: 'ED0959D5880AB2D869AE7F6C2915C6D60F96507F9CB3E047C0046861DA4A799CFE30F35CC900056D7C99CD7882433709',
        s: '512C8CCEEE3890A84058CE1E22DBC2198F42323CE8ACA9135329F03C068E5112DC7CC3EF3446DEFCEB01A45C2667FDD5',
      },
      {
        hash: 'sha256',
        message: 'test',
        r: '6D6DEFAC9AB64DABAFE36C6BF510352A4CC27001263638E5B16D9BB51D451559F918EEDAF2293BE5B475CC8F0188636B',
        s: '2D46F3BECBCC523D5F1A1256BF0C9B024D879BA9E838144C8BA6BAEB4B53B47D51AB373F9845C0514EEFB14024787265',
      },
      {
        hash: 'sha384',
        message: 'test',
        r: '8203B63D3C853E8D77227FB377BCF7B7B772E97892A80F36AB775D509D7A5FEB0542A7F0812998DA8F1DD3CA3CF023DB',
        s: 'DDD0760448D42D8A43AF45AF836FCE4DE8BE06B485E9B61B827C2F13173923E06A739F040649A667BF3B828246BAA5A5',
      },
      {
        hash: 'sha512',
        message: 'test',
        r: 'A0D5D090C9980FAF3C2CE57B7AE951D31977DD11C775D314AF55F76C676447D06FB6495CD21B4B6E340FC236584FB277',
        s: '976984E59B4C77B0E8E4460DCA3D9F20E07B9BB1F63BEEFAF576F6B2E8B224634A2092CD3792E0159AD9CEE37659C736',
      },
    ],
  },
  {
    curve: 'P-521',
    x: '0FAD06DAA62BA3B25D2FB40133DA757205DE67F5BB0018FEE8C86E1B68C7E75CAA896EB32F1F47C70855836A6D16FCC1466F6D8FBEC67DB89EC0C08B0E996B83538',
    ux: '1894550D0785932E00EAA23B694F213F8C3121F86DC97A04E5A7167DB4E5BCD371123D46E45DB6B5D5370A7F20FB633155D38FFA16D2BD761DCAC474B9A2F5023A4',
    uy: '0493101C962CD4D2FDDF782285E64584139C2F91B47F87FF82354D6630F746A28A0DB25741B5B34A828008B22ACC23F924FAAFBD4D33F81EA66956DFEAA2BFDFCF5',
    signatures: [
      {
        hash: 'sha256',
        message: 'sample',
        r: '1511BB4D675114FE266FC4372B87682BAECC01D3CC62CF2303C92B3526012659D16876E25C7C1E57648F23B73564D67F61C6F14D527D54972810421E7D87589E1A7',
        s: '04A171143A83163D6DF460AAF61522695F207A58B95C0644D87E52AA1A347916E4F7A72930B1BC06DBE22CE3F58264AFD23704CBB63B29B931F7DE6C9D949A7ECFC',
      },
      {
        hash: 'sha384',
        message: 'sample',
        r: '1EA842A0E17D2DE4F92C15315C63DDF72685C18195C2BB95E572B9C5136CA4B4B576AD712A52BE9730627D16054BA40CC0B8D3FF035B12AE75168397F5D50C67451',
        s: '1F21A3CEE066E1961025FB048BD5FE2B7924D0CD797BABE0A83B66F1E35EEAF5FDE143FA85DC394A7DEE766523393784484BDF3E00114A1C857CDE1AA203DB65D61',
      },
      {
        hash: 'sha512',
        message: 'sample',
        r: '0C328FAFCBD79DD77850370C46325D987CB525569FB63C5D3BC53950E6D4C5F174E25A1EE9017B5D450606ADD152B534931D7D4E8455CC91F9B15BF05EC36E377FA',
        s: '0617CCE7CF5064806C467F678D3B4080D6F1CC50AF26CA209417308281B68AF282623EAA63E5B5C0723D8B8C37FF0777B1A20F8CCB1DCCC43997F1EE0E44DA4A67A',
      },
      {
        hash: 'sha256',
        message: 'test',
        r: '00E871C4A14F993C6C7369501900C4BC1E9C7B0B4BA44E04868B30B41D8071042EB28C4C250411D0CE08CD197E4188EA4876F279F90B3D8D74A3C76E6F1E4656AA8',
        s: '0CD52DBAA33B063C3A6CD8058A1FB0A46A4754B034FCC644766CA14DA8CA5CA9FDE00E88C1AD60CCBA759025299079D7A427EC3CC5B619BFBC828E7769BCD694E86',
      },
      {
        hash: 'sha384',
        message: 'test',
        r: '14BEE21A18B6D8B3C93FAB08D43E739707953244FDBE924FA926D76669E7AC8C89DF62ED8975C2D8397A65A49DCC09F6B0AC62272741924D479354D74FF6075578C',
        s: '133330865C067A0EAF72362A65E2D7BC4E461E8C8995C3B6226A21BD1AA78F0ED94FE536A0DCA35534F0CD1510C41525D163FE9D74D134881E35141ED5E8E95B979',
      },
      {
        hash: 'sha512',
        message: 'test',
        r: '13E99020ABF5CEE7525D16B69B229652AB6BDF2AFFCAEF38773B4B7D08725F10CDB93482FDCC54EDCEE91ECA4166B2A7C6265EF0CE2BD7051B7CEF945BABD47EE6D',
        s: '1FBD0013C674AA79CB39849527916CE301C66EA7CE8B80682786AD60F98F7E78A19CA69EFF5C57400E3B3A0AD66CE0978214D13BAF4E9AC60752F7B155E2DE4DCE3',
      },
    ],
  },
];

function rfc6979Keys(vector: Rfc6979Key): { privateKey: KeyObject; publicKey: KeyObject } {
  const width = WIDTH[vector.curve];
  const b64 = (hex: string): string => hexBytes(hex, width).toString('base64url');
  const jwk = { kty: 'EC', crv: vector.curve, x: b64(vector.ux), y: b64(vector.uy) };
  return {
    privateKey: createPrivateKey({ key: { ...jwk, d: b64(vector.x) }, format: 'jwk' }),
    publicKey: createPublicKey({ key: jwk, format: 'jwk' }),
  };
}

describe('RFC 6979 known answers', () => {
  for (const vector of RFC6979) {
    const { privateKey, publicKey } = rfc6979Keys(vector);
    const width = WIDTH[vector.curve];
    for (const { hash, message, r, s } of vector.signatures) {
      it(`${vector.curve} with ${hash}, message "${message}"`, () => {
        const digest = digestOf(hash, Buffer.from(message, 'utf8'));
        const expected = Buffer.concat([hexBytes(r, width), hexBytes(s, width)]);
        expect(ecdsaSignDigest(privateKey, digest).toString('hex')).toBe(expected.toString('hex'));
        expect(ecdsaVerifyDigest(publicKey, digest, expected)).toBe(true);
      });
    }
  }
});

interface WycheproofFile<G> {
  testGroups: G[];
}

interface WycheproofTest {
  tcId: number;
  msg: string;
  sig: string;
  result: 'valid' | 'invalid' | 'acceptable';
}

interface WycheproofEcdsaGroup {
  publicKeyDer: string;
  sha: DigestHash;
  tests: WycheproofTest[];
}

interface WycheproofRsaGroup {
  publicKeyDer: string;
  sha: DigestHash;
  sLen?: number;
  tests: WycheproofTest[];
}

function spki(hex: string): KeyObject {
  return createPublicKey({ key: Buffer.from(hex, 'hex'), format: 'der', type: 'spki' });
}

/** Runs every test, returning the ids whose outcome disagrees with the expected result. */
function wycheproofMismatches<G extends { publicKeyDer: string; sha: DigestHash }>(
  file: string,
  groupFilter: (group: G) => boolean,
  check: (key: KeyObject, group: G, digest: Buffer, signature: Buffer) => boolean,
): { checked: number; mismatches: number[] } {
  const data = readVectors(file) as WycheproofFile<G & { tests: WycheproofTest[] }>;
  const mismatches: number[] = [];
  let checked = 0;
  for (const group of data.testGroups.filter(groupFilter)) {
    const key = spki(group.publicKeyDer);
    for (const test of group.tests) {
      const digest = digestOf(NODE_HASH[group.sha], Buffer.from(test.msg, 'hex'));
      const ok = check(key, group, digest, Buffer.from(test.sig, 'hex'));
      checked += 1;
      if (test.result !== 'acceptable' && ok !== (test.result === 'valid')) {
        mismatches.push(test.tcId);
      }
    }
  }
  return { checked, mismatches };
}

describe('Wycheproof ECDSA P1363 vectors', () => {
  for (const file of [
    'ecdsa_secp256r1_sha256_p1363_test.json',
    'ecdsa_secp384r1_sha384_p1363_test.json',
    'ecdsa_secp521r1_sha512_p1363_test.json',
  ]) {
    it(file, () => {
      const { checked, mismatches } = wycheproofMismatches<WycheproofEcdsaGroup>(
        file,
        () => true,
        (key, _group, digest, signature) => ecdsaVerifyDigest(key, digest, signature),
      );
      expect(checked).toBeGreaterThan(200);
      expect(mismatches).toEqual([]);
    });
  }
});

describe('rsaSignDigest / rsaVerifyDigest interoperate with node:crypto', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pss = {
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
  };

  for (const hash of ['SHA-256', 'SHA-384', 'SHA-512'] as const) {
    const nodeHash = NODE_HASH[hash];

    describe(hash, () => {
      it('PSS: node verifies signatures made here, with salt length = hash length', () => {
        const message = randomBytes(100);
        const signature = rsaSignDigest(privateKey, hash, digestOf(nodeHash, message), 'pss');
        expect(signature).toHaveLength(256);
        expect(verify(nodeHash, message, { key: publicKey, ...pss }, signature)).toBe(true);
        const strict = { key: publicKey, padding: pss.padding, saltLength: 200 };
        expect(verify(nodeHash, message, strict, signature)).toBe(false);
      });

      it('PSS: verifies signatures made by node', () => {
        const message = randomBytes(100);
        const signature = sign(nodeHash, message, { key: privateKey, ...pss });
        const digest = digestOf(nodeHash, message);
        expect(rsaVerifyDigest(publicKey, hash, digest, signature, 'pss')).toBe(true);
        expect(rsaVerifyDigest(privateKey, hash, digest, signature, 'pss')).toBe(true);
      });

      it('PSS: rejects a salt length other than the hash length', () => {
        const message = randomBytes(100);
        const key = {
          key: privateKey,
          padding: pss.padding,
          saltLength: constants.RSA_PSS_SALTLEN_MAX_SIGN,
        };
        const signature = sign(nodeHash, message, key);
        expect(
          rsaVerifyDigest(publicKey, hash, digestOf(nodeHash, message), signature, 'pss'),
        ).toBe(false);
      });

      it('PSS: signatures are randomized', () => {
        const digest = digestOf(nodeHash, randomBytes(10));
        const a = rsaSignDigest(privateKey, hash, digest, 'pss');
        const b = rsaSignDigest(privateKey, hash, digest, 'pss');
        expect(a.equals(b)).toBe(false);
        expect(rsaVerifyDigest(publicKey, hash, digest, a, 'pss')).toBe(true);
        expect(rsaVerifyDigest(publicKey, hash, digest, b, 'pss')).toBe(true);
      });

      it('PKCS#1 v1.5: identical to node, and verifies both ways', () => {
        const message = randomBytes(100);
        const digest = digestOf(nodeHash, message);
        const signature = rsaSignDigest(privateKey, hash, digest, 'pkcs1');
        expect(signature.equals(sign(nodeHash, message, privateKey))).toBe(true);
        expect(verify(nodeHash, message, publicKey, signature)).toBe(true);
        expect(rsaVerifyDigest(publicKey, hash, digest, signature, 'pkcs1')).toBe(true);
      });

      for (const padding of ['pss', 'pkcs1'] as const) {
        it(`${padding}: rejects tampering and malformed signatures without throwing`, () => {
          const digest = digestOf(nodeHash, randomBytes(50));
          const signature = rsaSignDigest(privateKey, hash, digest, padding);
          const check = (d: Uint8Array, s: Uint8Array): boolean =>
            rsaVerifyDigest(publicKey, hash, d, s, padding);
          expect(check(digest, signature)).toBe(true);
          expect(check(flipBit(digest, 3), signature)).toBe(false);
          expect(check(digest, flipBit(signature, 0))).toBe(false);
          expect(check(digest, flipBit(signature, 255))).toBe(false);
          expect(check(digest, signature.subarray(1))).toBe(false);
          expect(check(digest, Buffer.concat([Buffer.of(0), signature]))).toBe(false);
          expect(check(digest, Buffer.alloc(0))).toBe(false);
          expect(check(digest, Buffer.alloc(256))).toBe(false);
          // A representative >= n is rejected by RSAVP1 (RFC 8017 §5.2.2).
          expect(check(digest, Buffer.alloc(256, 0xff))).toBe(false);
          const other = padding === 'pss' ? 'pkcs1' : 'pss';
          expect(rsaVerifyDigest(publicKey, hash, digest, signature, other)).toBe(false);
        });
      }
    });
  }

  it('throws RangeError when the digest length does not match the hash', () => {
    const digest = Buffer.alloc(48);
    expect(() => rsaSignDigest(privateKey, 'SHA-256', digest, 'pss')).toThrow(RangeError);
    expect(() => rsaSignDigest(privateKey, 'SHA-512', digest, 'pkcs1')).toThrow(RangeError);
    expect(() => rsaVerifyDigest(publicKey, 'SHA-256', digest, Buffer.alloc(256), 'pss')).toThrow(
      RangeError,
    );
  });

  it('refuses non-RSA keys and signing with a public key', () => {
    const digest = Buffer.alloc(32);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => rsaSignDigest(ec.privateKey, 'SHA-256', digest, 'pss')).toThrow(TypeError);
    expect(() =>
      rsaVerifyDigest(ec.publicKey, 'SHA-256', digest, Buffer.alloc(64), 'pkcs1'),
    ).toThrow(TypeError);
    expect(() => rsaSignDigest(publicKey, 'SHA-256', digest, 'pkcs1')).toThrow(TypeError);
  });
});

describe('RSA moduli whose bit length is not a multiple of 8', () => {
  // 1537 bits = 1 mod 8: EM is one octet shorter than the modulus (RFC 8017 §9.1.1 emBits).
  // 2047 bits: the top two bits of EM are cleared.
  for (const bits of [1537, 2047]) {
    it(`${bits}-bit modulus`, () => {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
      expect(publicKey.asymmetricKeyDetails?.modulusLength).toBe(bits);
      const pss = {
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
      };
      for (const hash of ['SHA-256', 'SHA-512'] as const) {
        const nodeHash = NODE_HASH[hash];
        for (let i = 0; i < 4; i += 1) {
          const message = randomBytes(20);
          const digest = digestOf(nodeHash, message);
          const ours = rsaSignDigest(privateKey, hash, digest, 'pss');
          expect(verify(nodeHash, message, { key: publicKey, ...pss }, ours)).toBe(true);
          const theirs = sign(nodeHash, message, { key: privateKey, ...pss });
          expect(rsaVerifyDigest(publicKey, hash, digest, theirs, 'pss')).toBe(true);
          const pkcs1 = rsaSignDigest(privateKey, hash, digest, 'pkcs1');
          expect(pkcs1.equals(sign(nodeHash, message, privateKey))).toBe(true);
        }
      }
    });
  }

  it('throws RangeError when the modulus is too small for PSS with the hash', () => {
    // emLen = 128 < hLen + sLen + 2 = 130 (RFC 8017 §9.1.1 step 3).
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const digest = Buffer.alloc(64);
    expect(() => rsaSignDigest(privateKey, 'SHA-512', digest, 'pss')).toThrow(RangeError);
    expect(rsaVerifyDigest(publicKey, 'SHA-512', digest, Buffer.alloc(128, 1), 'pss')).toBe(false);
  });
});

describe('Wycheproof RSA vectors', () => {
  it('RSASSA-PKCS1-v1_5 2048 SHA-256', () => {
    const { checked, mismatches } = wycheproofMismatches<WycheproofRsaGroup>(
      'rsa_signature_2048_sha256_test.json',
      () => true,
      (key, group, digest, signature) =>
        rsaVerifyDigest(key, group.sha, digest, signature, 'pkcs1'),
    );
    expect(checked).toBeGreaterThan(200);
    expect(mismatches).toEqual([]);
  });

  for (const file of [
    'rsa_pss_2048_sha256_mgf1_32_test.json',
    'rsa_pss_3072_sha256_mgf1_32_test.json',
    'rsa_pss_4096_sha512_mgf1_64_test.json',
  ]) {
    it(file, () => {
      const { checked, mismatches } = wycheproofMismatches<WycheproofRsaGroup>(
        file,
        // Only groups whose salt length is the hash length, the one parameter set supported.
        (group) =>
          Number(group.sLen) === { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 }[group.sha],
        (key, group, digest, signature) =>
          rsaVerifyDigest(key, group.sha, digest, signature, 'pss'),
      );
      expect(checked).toBeGreaterThan(100);
      expect(mismatches).toEqual([]);
    });
  }
});
