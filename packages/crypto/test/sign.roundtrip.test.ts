/**
 * Sign/verify round trips for every signing key spec and every algorithm it lists, RAW and
 * DIGEST, each cross-checked with node:crypto.verify over the SPKI public key.
 */
import {
  type KeyObject,
  constants,
  createHash,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  verify as nodeVerify,
} from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type EcdsaEncoding,
  type KeySpec,
  type KeySpecName,
  type MessageType,
  type SigningAlgorithm,
  KEY_SPEC_NAMES,
  SIGNING_ALGORITHMS,
  ecFieldBytes,
  exportPublicKey,
  generateKeyMaterial,
  hashLength,
  keySpec,
  nodeHashName,
  privateKeyFromPkcs8,
  publicKeyFromSpki,
  publicKeyOfPkcs8,
  sign,
  signingHash,
  verify,
} from '../src/index.js';

interface SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly spki: Buffer;
}

const SIGNING_SPECS = KEY_SPEC_NAMES.map((name) => keySpec(name)).filter(
  (spec) => spec.signingAlgorithms.length > 0,
);

// RSA-4096 generation takes a second or two (far more on a loaded machine): every signing key
// is made once, in a hook, whose timeout is longer than a test's.
const keys = new Map<KeySpecName, SigningKey>();
beforeAll(() => {
  for (const spec of SIGNING_SPECS) {
    const material = generateKeyMaterial(spec);
    try {
      const spki = publicKeyOfPkcs8(material.bytes);
      keys.set(spec.name, {
        privateKey: privateKeyFromPkcs8(material.bytes),
        publicKey: publicKeyFromSpki(spki),
        spki,
      });
    } finally {
      material.zero();
    }
  }
});

function keyFor(spec: KeySpec): SigningKey {
  const key = keys.get(spec.name);
  if (key === undefined) throw new Error(`no key generated for ${spec.name}`);
  return key;
}

const MESSAGES = [Buffer.alloc(0), Buffer.from('hello, custos'), randomBytes(1000)];

function encodingsOf(spec: KeySpec): (EcdsaEncoding | undefined)[] {
  return spec.family === 'ec' ? ['der', 'ieee-p1363'] : [undefined];
}

function messageTypesOf(spec: KeySpec): MessageType[] {
  return spec.family === 'ed25519' ? ['RAW'] : ['RAW', 'DIGEST'];
}

function digestOf(algorithm: SigningAlgorithm, message: Uint8Array): Buffer {
  return createHash(nodeHashName(signingHash(algorithm)))
    .update(message)
    .digest();
}

/** What node:crypto needs to verify a signature over the original message, from the SPKI alone. */
function nodeVerifies(
  spec: KeySpec,
  algorithm: SigningAlgorithm,
  spki: Buffer,
  message: Uint8Array,
  signature: Uint8Array,
  encoding: EcdsaEncoding | undefined,
): boolean {
  const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  if (spec.family === 'ed25519') return nodeVerify(null, message, key, signature);
  const md = nodeHashName(signingHash(algorithm));
  if (spec.family === 'ec') {
    return nodeVerify(md, message, { key, dsaEncoding: encoding ?? 'der' }, signature);
  }
  if (algorithm.startsWith('RSASSA_PSS')) {
    const saltLength = hashLength(signingHash(algorithm));
    return nodeVerify(
      md,
      message,
      { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength },
      signature,
    );
  }
  return nodeVerify(md, message, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
}

function flipBit(bytes: Uint8Array, bit: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[bit >> 3]! ^= 1 << (bit & 7);
  return copy;
}

describe.each(SIGNING_SPECS)('$name', (spec) => {
  for (const algorithm of spec.signingAlgorithms) {
    for (const encoding of encodingsOf(spec)) {
      const label = `${algorithm}${encoding === undefined ? '' : ` (${encoding})`}`;

      it(`${label}: RAW signatures verify here and in node:crypto`, () => {
        const { privateKey, publicKey, spki } = keyFor(spec);
        for (const message of MESSAGES) {
          const req = { spec, algorithm, messageType: 'RAW', message, encoding } as const;
          const signature = sign(req, privateKey);
          expect(verify(req, publicKey, signature)).toBe(true);
          expect(nodeVerifies(spec, algorithm, spki, message, signature, encoding)).toBe(true);
          if (spec.family !== 'ed25519') {
            const digestReq = {
              ...req,
              messageType: 'DIGEST',
              message: digestOf(algorithm, message),
            } as const;
            expect(verify(digestReq, publicKey, signature)).toBe(true);
          }
        }
      });

      if (spec.family !== 'ed25519') {
        it(`${label}: DIGEST signatures verify here, as RAW, and in node:crypto`, () => {
          const { privateKey, publicKey, spki } = keyFor(spec);
          for (const message of MESSAGES) {
            const digest = digestOf(algorithm, message);
            const req = {
              spec,
              algorithm,
              messageType: 'DIGEST',
              message: digest,
              encoding,
            } as const;
            const signature = sign(req, privateKey);
            expect(verify(req, publicKey, signature)).toBe(true);
            expect(verify({ ...req, messageType: 'RAW', message }, publicKey, signature)).toBe(
              true,
            );
            expect(nodeVerifies(spec, algorithm, spki, message, signature, encoding)).toBe(true);
          }
        });
      }

      it(`${label}: a tampered message, digest or signature does not verify`, () => {
        const { privateKey, publicKey } = keyFor(spec);
        const message = Buffer.from('pay 100 to alice');
        for (const messageType of messageTypesOf(spec)) {
          const body = messageType === 'RAW' ? message : digestOf(algorithm, message);
          const req = { spec, algorithm, messageType, message: body, encoding };
          const signature = sign(req, privateKey);
          for (const bit of [0, 7, body.length * 4, body.length * 8 - 1]) {
            expect(verify({ ...req, message: flipBit(body, bit) }, publicKey, signature)).toBe(
              false,
            );
          }
          for (const bit of [0, signature.length * 4, signature.length * 8 - 1]) {
            expect(verify(req, publicKey, flipBit(signature, bit))).toBe(false);
          }
          expect(verify(req, publicKey, signature.subarray(0, signature.length - 1))).toBe(false);
          expect(verify(req, publicKey, Buffer.concat([signature, Buffer.of(0)]))).toBe(false);
          expect(verify(req, publicKey, Buffer.alloc(0))).toBe(false);
        }
      });
    }
  }

  if (spec.family === 'ec') {
    it('encodes ECDSA as DER or as fixed-width IEEE P1363, and does not mix them up', () => {
      const { privateKey, publicKey } = keyFor(spec);
      const width = 2 * ecFieldBytes(spec.curve!);
      const [algorithm] = spec.signingAlgorithms;
      for (const messageType of messageTypesOf(spec)) {
        const message =
          messageType === 'RAW' ? Buffer.from('m') : digestOf(algorithm!, Buffer.from('m'));
        const base = { spec, algorithm: algorithm!, messageType, message };
        const der = sign({ ...base, encoding: 'der' }, privateKey);
        const p1363 = sign({ ...base, encoding: 'ieee-p1363' }, privateKey);
        const byDefault = sign(base, privateKey);
        expect(der[0]).toBe(0x30);
        expect(byDefault[0]).toBe(0x30);
        expect(p1363.length).toBe(width);
        expect(verify(base, publicKey, byDefault)).toBe(true);
        expect(verify({ ...base, encoding: 'der' }, publicKey, p1363)).toBe(false);
        expect(verify({ ...base, encoding: 'ieee-p1363' }, publicKey, der)).toBe(false);
      }
    });
  }

  if (spec.family === 'ec' || spec.family === 'ed25519') {
    it('a signature does not verify under another key of the same spec', () => {
      const { privateKey } = keyFor(spec);
      const material = generateKeyMaterial(spec);
      const other = publicKeyFromSpki(publicKeyOfPkcs8(material.bytes));
      material.zero();
      for (const algorithm of spec.signingAlgorithms) {
        const req = { spec, algorithm, messageType: 'RAW', message: Buffer.from('m') } as const;
        expect(verify(req, other, sign(req, privateKey))).toBe(false);
      }
    });
  }

  it('verifies with the public key re-imported from its PEM export', () => {
    const { privateKey, spki } = keyFor(spec);
    const pem = exportPublicKey(spki, 'pem');
    const algorithm = spec.signingAlgorithms[0]!;
    const req = { spec, algorithm, messageType: 'RAW', message: Buffer.from('pem') } as const;
    expect(verify(req, publicKeyFromSpki(pem), sign(req, privateKey))).toBe(true);
  });

  if (spec.family === 'ed25519') {
    it('refuses DIGEST as UNSUPPORTED', () => {
      const { privateKey, publicKey } = keyFor(spec);
      const req = {
        spec,
        algorithm: 'ED25519_SHA_512',
        messageType: 'DIGEST',
        message: randomBytes(64),
      } as const;
      expect(() => sign(req, privateKey)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
      expect(() => verify(req, publicKey, Buffer.alloc(64))).toThrow(
        expect.objectContaining({ code: 'UNSUPPORTED' }),
      );
    });
  } else {
    it('refuses a digest of the wrong length as INVALID_INPUT', () => {
      const { privateKey, publicKey } = keyFor(spec);
      for (const algorithm of spec.signingAlgorithms) {
        const length = hashLength(signingHash(algorithm));
        for (const wrong of [0, 1, length - 1, length + 1, 2 * length]) {
          const req = {
            spec,
            algorithm,
            messageType: 'DIGEST',
            message: randomBytes(wrong),
          } as const;
          expect(() => sign(req, privateKey)).toThrow(
            expect.objectContaining({ code: 'INVALID_INPUT' }),
          );
          expect(() => verify(req, publicKey, Buffer.alloc(8))).toThrow(
            expect.objectContaining({ code: 'INVALID_INPUT' }),
          );
        }
      }
    });
  }
});

describe('algorithms outside a spec', () => {
  const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  it.each(KEY_SPEC_NAMES)('%s refuses every signing algorithm it does not list', (name) => {
    const spec = keySpec(name);
    const { privateKey, publicKey } = spec.signingAlgorithms.length > 0 ? keyFor(spec) : p256;
    const foreign = SIGNING_ALGORITHMS.filter((a) => !spec.signingAlgorithms.includes(a));
    expect(foreign.length).toBeGreaterThan(0);
    for (const algorithm of foreign) {
      for (const messageType of ['RAW', 'DIGEST'] as const) {
        const message = randomBytes(hashLength(signingHash(algorithm)));
        const req = { spec, algorithm, messageType, message };
        expect(() => sign(req, privateKey)).toThrow(
          expect.objectContaining({ code: 'UNSUPPORTED' }),
        );
        expect(() => verify(req, publicKey, Buffer.alloc(64))).toThrow(
          expect.objectContaining({ code: 'UNSUPPORTED' }),
        );
      }
    }
  });
});
