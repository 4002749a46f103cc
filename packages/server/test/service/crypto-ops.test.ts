import {
  type EcdsaEncoding,
  type KeySpecName,
  type MacAlgorithm,
  type MessageType,
  type SigningAlgorithm,
  keySpec,
  nodeHashName,
  signingHash,
} from '@custos/crypto';
import {
  type KeyObject,
  constants,
  createHash,
  createPrivateKey,
  createPublicKey,
  publicEncrypt,
  verify as nodeVerify,
} from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isKmsError } from '../../src/core/errors.js';
import {
  DATA_KEY_PAIR_SPECS,
  createKey,
  decrypt,
  encrypt,
  generateDataKey,
  generateDataKeyPair,
  generateMac,
  generateRandom,
  getPublicKey,
  reEncrypt,
  sign,
  verify,
  verifyMac,
} from '../../src/service/index.js';
import { errorCode, makeKms, type KmsHarness } from '../support/kms-harness.js';

const plaintext = Buffer.from('attack at dawn');
const context = { tenant: 'acme', purpose: 'test' };

let h: KmsHarness;
let aes: string;
let aes2: string;
let rsa: string;
let rsaSigner: string;
let hmac256: string;
const signers = new Map<KeySpecName, string>();
const macKeys = new Map<KeySpecName, string>();

beforeAll(async () => {
  h = await makeKms();
  aes = (await createKey(h.ctx, { alias: 'alias/crypto-ops' })).keyId;
  aes2 = (await createKey(h.ctx, {})).keyId;
  rsa = (await createKey(h.ctx, { spec: 'RSA_2048' })).keyId;
  rsaSigner = (await createKey(h.ctx, { spec: 'RSA_2048', usage: 'SIGN_VERIFY' })).keyId;
  signers.set('RSA_2048', rsaSigner);
  for (const spec of ['ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ED25519'] as const) {
    signers.set(spec, (await createKey(h.ctx, { spec })).keyId);
  }
  for (const spec of ['HMAC_256', 'HMAC_384', 'HMAC_512'] as const) {
    macKeys.set(spec, (await createKey(h.ctx, { spec })).keyId);
  }
  hmac256 = macKeys.get('HMAC_256') ?? '';
});
afterAll(async () => {
  await h.close();
});

async function spkiOf(keyId: string): Promise<KeyObject> {
  const { publicKey } = await getPublicKey(h.ctx, { keyId });
  return createPublicKey({ key: publicKey, format: 'der', type: 'spki' });
}

function flipped(bytes: Buffer, index: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[index] = (copy[index] ?? 0) ^ 0x01;
  return copy;
}

describe('encrypt and decrypt', () => {
  it('round-trips without a context, by id and by alias', async () => {
    for (const keyId of [aes, 'alias/crypto-ops']) {
      const out = await encrypt(h.ctx, { keyId, plaintext });
      expect(out).toMatchObject({ keyId: aes, keyVersion: 1, algorithm: 'SYMMETRIC_DEFAULT' });
      const back = await decrypt(h.ctx, { ciphertext: out.ciphertext });
      expect(back).toMatchObject({ keyId: aes, keyVersion: 1, algorithm: 'SYMMETRIC_DEFAULT' });
      expect(back.plaintext.bytes).toEqual(plaintext);
      const named = await decrypt(h.ctx, { ciphertext: out.ciphertext, keyId });
      expect(named.plaintext.bytes).toEqual(plaintext);
    }
  });

  it('round-trips with a context, whatever the order of its entries', async () => {
    const { ciphertext } = await encrypt(h.ctx, {
      keyId: aes,
      plaintext,
      encryptionContext: context,
    });
    const reordered = { purpose: 'test', tenant: 'acme' };
    const back = await decrypt(h.ctx, { ciphertext, encryptionContext: reordered });
    expect(back.plaintext.bytes).toEqual(plaintext);
  });

  it('treats an empty context as no context', async () => {
    const { ciphertext } = await encrypt(h.ctx, { keyId: aes, plaintext, encryptionContext: {} });
    expect((await decrypt(h.ctx, { ciphertext })).plaintext.bytes).toEqual(plaintext);
  });

  it('produces a different ciphertext each time', async () => {
    const a = await encrypt(h.ctx, { keyId: aes, plaintext });
    const b = await encrypt(h.ctx, { keyId: aes, plaintext });
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
  });

  it.each([
    ['no context', undefined],
    ['another value', { tenant: 'acme', purpose: 'other' }],
    ['a missing entry', { tenant: 'acme' }],
    ['an extra entry', { ...context, extra: 'x' }],
    ['a renamed key', { Tenant: 'acme', purpose: 'test' }],
  ])('refuses %s as the context (INVALID_CIPHERTEXT)', async (_, encryptionContext) => {
    const { ciphertext } = await encrypt(h.ctx, {
      keyId: aes,
      plaintext,
      encryptionContext: context,
    });
    expect(
      await errorCode(
        decrypt(h.ctx, {
          ciphertext,
          ...(encryptionContext !== undefined && { encryptionContext }),
        }),
      ),
    ).toBe('INVALID_CIPHERTEXT');
  });

  it('refuses a context on decrypt that encrypt did not bind (INVALID_CIPHERTEXT)', async () => {
    const { ciphertext } = await encrypt(h.ctx, { keyId: aes, plaintext });
    expect(await errorCode(decrypt(h.ctx, { ciphertext, encryptionContext: context }))).toBe(
      'INVALID_CIPHERTEXT',
    );
  });

  it('refuses every single-bit change of the ciphertext (INVALID_CIPHERTEXT)', async () => {
    const { ciphertext } = await encrypt(h.ctx, {
      keyId: aes,
      plaintext,
      encryptionContext: context,
    });
    for (let i = 0; i < ciphertext.length; i++) {
      const code = await errorCode(
        decrypt(h.ctx, { ciphertext: flipped(ciphertext, i), encryptionContext: context }),
      );
      expect(code, `byte ${String(i)}`).toBe('INVALID_CIPHERTEXT');
    }
  });

  it('refuses truncated and extended ciphertexts (INVALID_CIPHERTEXT)', async () => {
    const { ciphertext } = await encrypt(h.ctx, { keyId: aes, plaintext });
    for (const length of [1, 2, 17, 18, 22, 33, 34, 49, ciphertext.length - 1]) {
      const code = await errorCode(decrypt(h.ctx, { ciphertext: ciphertext.subarray(0, length) }));
      expect(code, `length ${String(length)}`).toBe('INVALID_CIPHERTEXT');
    }
    const longer = Buffer.concat([ciphertext, Buffer.from([0])]);
    expect(await errorCode(decrypt(h.ctx, { ciphertext: longer }))).toBe('INVALID_CIPHERTEXT');
    expect(await errorCode(decrypt(h.ctx, { ciphertext: Buffer.alloc(6144, 0xab) }))).toBe(
      'INVALID_CIPHERTEXT',
    );
  });

  it("refuses another key's ciphertext relabelled as this key's (INVALID_CIPHERTEXT)", async () => {
    const { ciphertext } = await encrypt(h.ctx, { keyId: aes2, plaintext });
    const relabelled = Buffer.from(ciphertext);
    Buffer.from(aes.replaceAll('-', ''), 'hex').copy(relabelled, 2);
    expect(await errorCode(decrypt(h.ctx, { ciphertext: relabelled }))).toBe('INVALID_CIPHERTEXT');
  });

  it('refuses a ciphertext naming a key that does not exist (INVALID_CIPHERTEXT)', async () => {
    const { ciphertext } = await encrypt(h.ctx, { keyId: aes, plaintext });
    const orphan = Buffer.from(ciphertext);
    Buffer.from('00112233445566778899aabbccddeeff', 'hex').copy(orphan, 2);
    expect(await errorCode(decrypt(h.ctx, { ciphertext: orphan }))).toBe('INVALID_CIPHERTEXT');
  });

  it('refuses to decrypt under an explicitly named other key (INVALID_CIPHERTEXT)', async () => {
    const { ciphertext } = await encrypt(h.ctx, { keyId: aes, plaintext });
    expect(await errorCode(decrypt(h.ctx, { ciphertext, keyId: aes2 }))).toBe('INVALID_CIPHERTEXT');
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect(await errorCode(decrypt(h.ctx, { ciphertext, keyId: unknown }))).toBe(
      'INVALID_CIPHERTEXT',
    );
  });

  it('bounds plaintext to 1..4096 bytes and ciphertext to 6144 (INVALID_INPUT)', async () => {
    expect(await errorCode(encrypt(h.ctx, { keyId: aes, plaintext: Buffer.alloc(0) }))).toBe(
      'INVALID_INPUT',
    );
    expect(await errorCode(encrypt(h.ctx, { keyId: aes, plaintext: Buffer.alloc(4097) }))).toBe(
      'INVALID_INPUT',
    );
    const largest = await encrypt(h.ctx, { keyId: aes, plaintext: Buffer.alloc(4096, 7) });
    expect((await decrypt(h.ctx, { ciphertext: largest.ciphertext })).plaintext.bytes).toEqual(
      Buffer.alloc(4096, 7),
    );
    expect(await errorCode(decrypt(h.ctx, { ciphertext: Buffer.alloc(6145) }))).toBe(
      'INVALID_INPUT',
    );
    expect(await errorCode(decrypt(h.ctx, { ciphertext: Buffer.alloc(0) }))).toBe('INVALID_INPUT');
  });

  it('accepts a Uint8Array as well as a Buffer', async () => {
    const { ciphertext } = await encrypt(h.ctx, {
      keyId: aes,
      plaintext: new Uint8Array([1, 2, 3]),
    });
    const back = await decrypt(h.ctx, { ciphertext: new Uint8Array(ciphertext) });
    expect([...back.plaintext.bytes]).toEqual([1, 2, 3]);
  });

  it('refuses RSA algorithms with a symmetric key (INVALID_INPUT)', async () => {
    expect(
      await errorCode(encrypt(h.ctx, { keyId: aes, plaintext, algorithm: 'RSAES_OAEP_SHA_256' })),
    ).toBe('INVALID_INPUT');
  });
});

describe('RSA encryption', () => {
  it('needs an algorithm (INVALID_INPUT without one)', async () => {
    expect(await errorCode(encrypt(h.ctx, { keyId: rsa, plaintext }))).toBe('INVALID_INPUT');
    expect(
      await errorCode(encrypt(h.ctx, { keyId: rsa, plaintext, algorithm: 'SYMMETRIC_DEFAULT' })),
    ).toBe('INVALID_INPUT');
  });

  it.each(['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] as const)(
    'round-trips with %s when the key id is given',
    async (algorithm) => {
      const out = await encrypt(h.ctx, { keyId: rsa, plaintext, algorithm });
      expect(out).toMatchObject({ keyId: rsa, keyVersion: 1, algorithm });
      expect(out.ciphertext).toHaveLength(256);
      const back = await decrypt(h.ctx, { ciphertext: out.ciphertext, keyId: rsa, algorithm });
      expect(back.plaintext.bytes).toEqual(plaintext);
      expect(back).toMatchObject({ keyId: rsa, keyVersion: 1, algorithm });

      expect(await errorCode(decrypt(h.ctx, { ciphertext: out.ciphertext, algorithm }))).toBe(
        'INVALID_INPUT',
      );
      const other = algorithm === 'RSAES_OAEP_SHA_1' ? 'RSAES_OAEP_SHA_256' : 'RSAES_OAEP_SHA_1';
      expect(
        await errorCode(
          decrypt(h.ctx, { ciphertext: out.ciphertext, keyId: rsa, algorithm: other }),
        ),
      ).toBe('INVALID_CIPHERTEXT');
      expect(
        await errorCode(
          decrypt(h.ctx, { ciphertext: flipped(out.ciphertext, 100), keyId: rsa, algorithm }),
        ),
      ).toBe('INVALID_CIPHERTEXT');
    },
  );

  it.each([
    ['sha1', 'RSAES_OAEP_SHA_1'],
    ['sha256', 'RSAES_OAEP_SHA_256'],
  ] as const)(
    'decrypts RSA-OAEP/%s made outside with the public key',
    async (oaepHash, algorithm) => {
      const ciphertext = publicEncrypt(
        { key: await spkiOf(rsa), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash },
        plaintext,
      );
      const back = await decrypt(h.ctx, { ciphertext, keyId: rsa, algorithm });
      expect(back.plaintext.bytes).toEqual(plaintext);
    },
  );

  it('refuses a context and plaintexts too long for OAEP (INVALID_INPUT)', async () => {
    const algorithm = 'RSAES_OAEP_SHA_256';
    expect(
      await errorCode(
        encrypt(h.ctx, { keyId: rsa, plaintext, algorithm, encryptionContext: context }),
      ),
    ).toBe('INVALID_INPUT');
    // 2048-bit modulus, SHA-256: at most 256 - 2·32 - 2 = 190 bytes.
    await encrypt(h.ctx, { keyId: rsa, plaintext: Buffer.alloc(190), algorithm });
    expect(
      await errorCode(encrypt(h.ctx, { keyId: rsa, plaintext: Buffer.alloc(191), algorithm })),
    ).toBe('INVALID_INPUT');
  });
});

describe('reEncrypt', () => {
  it('moves a ciphertext to another key and context', async () => {
    const { ciphertext } = await encrypt(h.ctx, {
      keyId: aes,
      plaintext,
      encryptionContext: context,
    });
    const moved = await reEncrypt(h.ctx, {
      ciphertext,
      sourceEncryptionContext: context,
      destinationKeyId: aes2,
      destinationEncryptionContext: { to: 'there' },
    });
    expect(moved).toMatchObject({
      keyId: aes2,
      keyVersion: 1,
      sourceKeyId: aes,
      sourceKeyVersion: 1,
    });
    const back = await decrypt(h.ctx, {
      ciphertext: moved.ciphertext,
      encryptionContext: { to: 'there' },
    });
    expect(back.keyId).toBe(aes2);
    expect(back.plaintext.bytes).toEqual(plaintext);
    expect(
      await errorCode(decrypt(h.ctx, { ciphertext: moved.ciphertext, encryptionContext: context })),
    ).toBe('INVALID_CIPHERTEXT');
  });

  it('refuses the wrong source context (INVALID_CIPHERTEXT)', async () => {
    const { ciphertext } = await encrypt(h.ctx, {
      keyId: aes,
      plaintext,
      encryptionContext: context,
    });
    expect(
      await errorCode(
        reEncrypt(h.ctx, {
          ciphertext,
          sourceEncryptionContext: { tenant: 'x' },
          destinationKeyId: aes2,
        }),
      ),
    ).toBe('INVALID_CIPHERTEXT');
  });

  it('moves to and from an RSA key', async () => {
    const { ciphertext } = await encrypt(h.ctx, { keyId: aes, plaintext });
    const toRsa = await reEncrypt(h.ctx, {
      ciphertext,
      destinationKeyId: rsa,
      destinationAlgorithm: 'RSAES_OAEP_SHA_256',
    });
    expect(toRsa.keyId).toBe(rsa);
    const back = await reEncrypt(h.ctx, {
      ciphertext: toRsa.ciphertext,
      sourceKeyId: rsa,
      sourceAlgorithm: 'RSAES_OAEP_SHA_256',
      destinationKeyId: aes2,
    });
    expect(back).toMatchObject({ keyId: aes2, sourceKeyId: rsa });
    expect((await decrypt(h.ctx, { ciphertext: back.ciphertext })).plaintext.bytes).toEqual(
      plaintext,
    );
  });
});

describe('generateDataKey', () => {
  it.each([
    [{ keySpec: 'AES_128' } as const, 16],
    [{ keySpec: 'AES_256' } as const, 32],
    [{ numberOfBytes: 1 }, 1],
    [{ numberOfBytes: 1024 }, 1024],
  ])('makes a data key for %j', async (size, length) => {
    const out = await generateDataKey(h.ctx, {
      keyId: aes,
      ...size,
      encryptionContext: context,
      withPlaintext: true,
    });
    expect(out.keyId).toBe(aes);
    expect(out.plaintext?.length).toBe(length);
    const back = await decrypt(h.ctx, { ciphertext: out.ciphertext, encryptionContext: context });
    expect(back.plaintext.bytes).toEqual(out.plaintext?.bytes);
  });

  it('returns no plaintext when asked not to', async () => {
    const out = await generateDataKey(h.ctx, {
      keyId: aes,
      keySpec: 'AES_256',
      withPlaintext: false,
    });
    expect(out.plaintext).toBeUndefined();
    expect('plaintext' in out).toBe(false);
    expect((await decrypt(h.ctx, { ciphertext: out.ciphertext })).plaintext.length).toBe(32);
  });

  it('refuses bad sizes (INVALID_INPUT)', async () => {
    const cases = [
      { numberOfBytes: 0 },
      { numberOfBytes: 1025 },
      { numberOfBytes: 16, keySpec: 'AES_128' as const },
      {},
    ];
    for (const size of cases) {
      for (const withPlaintext of [true, false]) {
        expect(
          await errorCode(generateDataKey(h.ctx, { keyId: aes, ...size, withPlaintext })),
          JSON.stringify(size),
        ).toBe('INVALID_INPUT');
      }
    }
  });

  it('makes data keys under symmetric keys only (INVALID_INPUT)', async () => {
    expect(
      await errorCode(
        generateDataKey(h.ctx, { keyId: rsa, keySpec: 'AES_256', withPlaintext: true }),
      ),
    ).toBe('INVALID_INPUT');
  });
});

describe('generateDataKeyPair', () => {
  const expectedType = (spec: string): { type: string; detail: Record<string, unknown> } => {
    const s = keySpec(spec);
    if (s.family === 'rsa') return { type: 'rsa', detail: { modulusLength: s.bits } };
    if (s.family === 'ec') {
      const curve = { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1' };
      return { type: 'ec', detail: { namedCurve: curve[s.curve ?? 'P-256'] } };
    }
    return { type: 'ed25519', detail: {} };
  };

  it.each([...DATA_KEY_PAIR_SPECS])('makes a %s key pair', async (keyPairSpec) => {
    const out = await generateDataKeyPair(h.ctx, {
      keyId: aes,
      keyPairSpec,
      encryptionContext: context,
      withPlaintext: true,
    });
    expect(out).toMatchObject({ keyPairSpec, keyId: aes, keyVersion: 1 });
    const back = await decrypt(h.ctx, {
      ciphertext: out.privateKeyCiphertext,
      encryptionContext: context,
    });
    expect(back.plaintext.bytes).toEqual(out.privateKeyPlaintext?.bytes);
    const privateKey = createPrivateKey({
      key: back.plaintext.bytes,
      format: 'der',
      type: 'pkcs8',
    });
    const derived = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
    expect(derived.equals(out.publicKey)).toBe(true);
    const { type, detail } = expectedType(keyPairSpec);
    expect(privateKey.asymmetricKeyType).toBe(type);
    expect(privateKey.asymmetricKeyDetails).toMatchObject(detail);
  });

  it('returns no private key plaintext when asked not to', async () => {
    const out = await generateDataKeyPair(h.ctx, {
      keyId: aes,
      keyPairSpec: 'ECC_NIST_P256',
      withPlaintext: false,
    });
    expect('privateKeyPlaintext' in out).toBe(false);
    const back = await decrypt(h.ctx, { ciphertext: out.privateKeyCiphertext });
    const derived = createPublicKey(
      createPrivateKey({ key: back.plaintext.bytes, format: 'der', type: 'pkcs8' }),
    ).export({ format: 'der', type: 'spki' });
    expect(derived.equals(out.publicKey)).toBe(true);
  });
});

describe('sign and verify', () => {
  interface SignCase {
    spec: KeySpecName;
    algorithm: SigningAlgorithm;
    messageType: MessageType;
    encoding?: EcdsaEncoding;
  }
  const cases: SignCase[] = [];
  for (const spec of [
    'ECC_NIST_P256',
    'ECC_NIST_P384',
    'ECC_NIST_P521',
    'ED25519',
    'RSA_2048',
  ] as const) {
    const s = keySpec(spec);
    for (const algorithm of s.signingAlgorithms) {
      for (const messageType of ['RAW', 'DIGEST'] as const) {
        if (s.family === 'ed25519' && messageType === 'DIGEST') continue;
        if (s.family === 'ec') {
          for (const encoding of ['der', 'ieee-p1363'] as const) {
            cases.push({ spec, algorithm, messageType, encoding });
          }
        } else {
          cases.push({ spec, algorithm, messageType });
        }
      }
    }
  }

  const message = Buffer.from('the message to sign');

  /** node:crypto's verify of a signature over `message` (the DIGEST case signs its hash). */
  function independentlyValid(c: SignCase, key: KeyObject, signature: Buffer): boolean {
    const s = keySpec(c.spec);
    if (s.family === 'ed25519') return nodeVerify(null, message, key, signature);
    const hash = nodeHashName(signingHash(c.algorithm));
    if (s.family === 'ec') {
      return nodeVerify(hash, message, { key, dsaEncoding: c.encoding ?? 'der' }, signature);
    }
    if (c.algorithm.startsWith('RSASSA_PSS')) {
      return nodeVerify(
        hash,
        message,
        {
          key,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
        },
        signature,
      );
    }
    return nodeVerify(hash, message, key, signature);
  }

  it.each(cases)('$spec $algorithm $messageType $encoding', async (c) => {
    const keyId = signers.get(c.spec) ?? '';
    const input =
      c.messageType === 'RAW'
        ? message
        : createHash(nodeHashName(signingHash(c.algorithm)))
            .update(message)
            .digest();
    const request = {
      keyId,
      message: input,
      messageType: c.messageType,
      algorithm: c.algorithm,
      ...(c.encoding !== undefined && { encoding: c.encoding }),
    };
    const { signature, keyVersion } = await sign(h.ctx, request);
    expect(keyVersion).toBe(1);
    if (c.encoding === 'ieee-p1363') {
      expect(signature).toHaveLength(2 * Math.ceil(keySpec(c.spec).bits / 8));
    }

    expect(await verify(h.ctx, { ...request, signature })).toMatchObject({
      valid: true,
      keyId,
      keyVersion: 1,
      algorithm: c.algorithm,
    });
    expect(independentlyValid(c, await spkiOf(keyId), signature)).toBe(true);

    const tampered = flipped(signature, signature.length - 1);
    expect((await verify(h.ctx, { ...request, signature: tampered })).valid).toBe(false);
    const otherMessage = flipped(input, 0);
    expect((await verify(h.ctx, { ...request, message: otherMessage, signature })).valid).toBe(
      false,
    );
  });

  it('refuses an algorithm the key spec does not sign with (INVALID_INPUT)', async () => {
    const p256 = signers.get('ECC_NIST_P256') ?? '';
    const { signature } = await sign(h.ctx, { keyId: p256, message, algorithm: 'ECDSA_SHA_256' });
    const wrong: [string, SigningAlgorithm][] = [
      [p256, 'ECDSA_SHA_384'],
      [p256, 'RSASSA_PSS_SHA_256'],
      [signers.get('ED25519') ?? '', 'ECDSA_SHA_512'],
      [rsaSigner, 'ED25519_SHA_512'],
    ];
    for (const [keyId, algorithm] of wrong) {
      expect(
        await errorCode(verify(h.ctx, { keyId, message, signature, algorithm })),
        algorithm,
      ).toBe('INVALID_INPUT');
      expect(await errorCode(sign(h.ctx, { keyId, message, algorithm })), algorithm).toBe(
        'INVALID_INPUT',
      );
    }
  });

  it('refuses a digest of the wrong length (INVALID_INPUT)', async () => {
    const keyId = signers.get('ECC_NIST_P384') ?? '';
    const digest = Buffer.alloc(32);
    expect(
      await errorCode(
        sign(h.ctx, { keyId, message: digest, messageType: 'DIGEST', algorithm: 'ECDSA_SHA_384' }),
      ),
    ).toBe('INVALID_INPUT');
  });

  it('refuses DIGEST signing with Ed25519 (UNSUPPORTED, a KmsError)', async () => {
    const keyId = signers.get('ED25519') ?? '';
    const error: unknown = await sign(h.ctx, {
      keyId,
      message: Buffer.alloc(64),
      messageType: 'DIGEST',
      algorithm: 'ED25519_SHA_512',
    }).catch((e: unknown) => e);
    expect(isKmsError(error) && error.code).toBe('UNSUPPORTED');
  });

  it('checks against one version when asked', async () => {
    const keyId = signers.get('ED25519') ?? '';
    const { signature } = await sign(h.ctx, { keyId, message, algorithm: 'ED25519_SHA_512' });
    const request = { keyId, message, signature, algorithm: 'ED25519_SHA_512' } as const;
    expect((await verify(h.ctx, { ...request, keyVersion: 1 })).valid).toBe(true);
    expect((await verify(h.ctx, { ...request, keyVersion: 2 })).valid).toBe(false);
  });
});

describe('MACs', () => {
  const message = Buffer.from('authenticate me');
  const macCases: [KeySpecName, MacAlgorithm, number][] = [
    ['HMAC_256', 'HMAC_SHA_256', 32],
    ['HMAC_384', 'HMAC_SHA_384', 48],
    ['HMAC_512', 'HMAC_SHA_512', 64],
  ];

  it.each(macCases)('%s generates and verifies %s', async (spec, algorithm, length) => {
    const keyId = macKeys.get(spec) ?? '';
    const out = await generateMac(h.ctx, { keyId, message, algorithm });
    expect(out).toMatchObject({ keyId, keyVersion: 1, algorithm });
    expect(out.mac).toHaveLength(length);
    expect((await generateMac(h.ctx, { keyId, message, algorithm })).mac).toEqual(out.mac);

    expect(await verifyMac(h.ctx, { keyId, message, mac: out.mac, algorithm })).toEqual({
      valid: true,
      keyId,
      keyVersion: 1,
      algorithm,
    });
    const tampered = flipped(out.mac, 0);
    expect((await verifyMac(h.ctx, { keyId, message, mac: tampered, algorithm })).valid).toBe(
      false,
    );
    const truncated = out.mac.subarray(0, length - 1);
    expect((await verifyMac(h.ctx, { keyId, message, mac: truncated, algorithm })).valid).toBe(
      false,
    );
    const other = Buffer.from('authenticate ME');
    expect((await verifyMac(h.ctx, { keyId, message: other, mac: out.mac, algorithm })).valid).toBe(
      false,
    );
  });

  it('makes MACs that differ between keys', async () => {
    const other = (await createKey(h.ctx, { spec: 'HMAC_256' })).keyId;
    const a = await generateMac(h.ctx, { keyId: hmac256, message, algorithm: 'HMAC_SHA_256' });
    const b = await generateMac(h.ctx, { keyId: other, message, algorithm: 'HMAC_SHA_256' });
    expect(a.mac.equals(b.mac)).toBe(false);
    expect(
      (await verifyMac(h.ctx, { keyId: other, message, mac: a.mac, algorithm: 'HMAC_SHA_256' }))
        .valid,
    ).toBe(false);
  });

  it('refuses an algorithm of another spec (INVALID_INPUT)', async () => {
    const mac = (await generateMac(h.ctx, { keyId: hmac256, message, algorithm: 'HMAC_SHA_256' }))
      .mac;
    for (const algorithm of ['HMAC_SHA_384', 'HMAC_SHA_512'] as const) {
      expect(await errorCode(generateMac(h.ctx, { keyId: hmac256, message, algorithm }))).toBe(
        'INVALID_INPUT',
      );
      expect(await errorCode(verifyMac(h.ctx, { keyId: hmac256, message, mac, algorithm }))).toBe(
        'INVALID_INPUT',
      );
    }
  });
});

describe('generateRandom', () => {
  it.each([1, 32, 1024])('returns %i random bytes', async (numberOfBytes) => {
    const random = await generateRandom(h.ctx, { numberOfBytes });
    expect(random.length).toBe(numberOfBytes);
  });

  it('returns different bytes each time', async () => {
    const a = await generateRandom(h.ctx, { numberOfBytes: 32 });
    const b = await generateRandom(h.ctx, { numberOfBytes: 32 });
    expect(a.equals(b)).toBe(false);
  });

  it.each([0, 1025, -1, 1.5, Number.NaN])(
    'refuses %d bytes (INVALID_INPUT)',
    async (numberOfBytes) => {
      expect(await errorCode(generateRandom(h.ctx, { numberOfBytes }))).toBe('INVALID_INPUT');
    },
  );
});

describe('getPublicKey', () => {
  it('returns the SPKI and algorithms of asymmetric keys', async () => {
    const p256 = signers.get('ECC_NIST_P256') ?? '';
    expect(await getPublicKey(h.ctx, { keyId: p256 })).toMatchObject({
      keyId: p256,
      keyVersion: 1,
      spec: 'ECC_NIST_P256',
      usage: 'SIGN_VERIFY',
      signingAlgorithms: ['ECDSA_SHA_256'],
      encryptionAlgorithms: [],
    });
    expect((await spkiOf(p256)).asymmetricKeyDetails).toMatchObject({ namedCurve: 'prime256v1' });
    expect(await getPublicKey(h.ctx, { keyId: rsa })).toMatchObject({
      usage: 'ENCRYPT_DECRYPT',
      signingAlgorithms: [],
      encryptionAlgorithms: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'],
    });
    expect(await errorCode(getPublicKey(h.ctx, { keyId: p256, keyVersion: 2 }))).toBe('NOT_FOUND');
  });

  it.each([
    ['AES_256', () => aes],
    ['HMAC_256', () => hmac256],
  ])('has nothing for a %s key (UNSUPPORTED)', async (_, keyId) => {
    expect(await errorCode(getPublicKey(h.ctx, { keyId: keyId() }))).toBe('UNSUPPORTED');
  });
});
