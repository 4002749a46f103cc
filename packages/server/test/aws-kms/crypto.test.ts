import {
  CreateKeyCommand,
  type CreateKeyCommandInput,
  DecryptCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyPairCommand,
  GenerateDataKeyPairWithoutPlaintextCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GenerateMacCommand,
  GenerateRandomCommand,
  GetPublicKeyCommand,
  type KMSClient,
  ReEncryptCommand,
  SignCommand,
  VerifyCommand,
  VerifyMacCommand,
} from '@aws-sdk/client-kms';
import { constants, createHash, createPublicKey, createVerify, publicEncrypt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsServer, awsError, startAwsServer } from './aws-harness.js';

let server: AwsServer;
let kms: KMSClient;
beforeAll(async () => {
  server = await startAwsServer();
  kms = server.client();
});
afterAll(async () => {
  await server.close();
});

async function newKey(input: CreateKeyCommandInput = {}): Promise<string> {
  const out = await kms.send(new CreateKeyCommand(input));
  return out.KeyMetadata?.Arn ?? '';
}

const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString('utf8');

describe('Encrypt, Decrypt, ReEncrypt', () => {
  it('round-trips with an encryption context; a wrong context is InvalidCiphertextException', async () => {
    const arn = await newKey();
    const context = { tenant: 'a', purpose: 'test' };
    const enc = await kms.send(
      new EncryptCommand({
        KeyId: arn,
        Plaintext: Buffer.from('secret'),
        EncryptionContext: context,
      }),
    );
    expect(enc).toMatchObject({ KeyId: arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
    const dec = await kms.send(
      new DecryptCommand({
        CiphertextBlob: enc.CiphertextBlob,
        EncryptionContext: context,
        KeyId: arn,
      }),
    );
    expect(text(dec.Plaintext)).toBe('secret');
    expect(dec.KeyId).toBe(arn);
    const wrong = new DecryptCommand({
      CiphertextBlob: enc.CiphertextBlob,
      EncryptionContext: { tenant: 'b', purpose: 'test' },
    });
    expect(await awsError(kms.send(wrong))).toBe('InvalidCiphertextException');
    const otherKey = await newKey();
    const named = new DecryptCommand({
      CiphertextBlob: enc.CiphertextBlob,
      EncryptionContext: context,
      KeyId: otherKey,
    });
    expect(await awsError(kms.send(named))).toBe('InvalidCiphertextException');
  });

  it('ReEncrypt moves a ciphertext to another key and context', async () => {
    const source = await newKey();
    const destination = await newKey();
    const enc = await kms.send(
      new EncryptCommand({
        KeyId: source,
        Plaintext: Buffer.from('moving'),
        EncryptionContext: { a: '1' },
      }),
    );
    const re = await kms.send(
      new ReEncryptCommand({
        CiphertextBlob: enc.CiphertextBlob,
        SourceEncryptionContext: { a: '1' },
        DestinationKeyId: destination,
        DestinationEncryptionContext: { b: '2' },
      }),
    );
    expect(re).toMatchObject({ SourceKeyId: source, KeyId: destination });
    const dec = await kms.send(
      new DecryptCommand({ CiphertextBlob: re.CiphertextBlob, EncryptionContext: { b: '2' } }),
    );
    expect(text(dec.Plaintext)).toBe('moving');
  });

  it('Encrypt with an RSA key needs an EncryptionAlgorithm; local OAEP ciphertext decrypts through the API', async () => {
    const arn = await newKey({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
    expect(
      await awsError(kms.send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('x') }))),
    ).toMatch(/ValidationException|InvalidKeyUsageException/);
    const pub = await kms.send(new GetPublicKeyCommand({ KeyId: arn }));
    expect(pub.EncryptionAlgorithms).toContain('RSAES_OAEP_SHA_256');
    const local = publicEncrypt(
      {
        key: createPublicKey({
          key: Buffer.from(pub.PublicKey ?? []),
          format: 'der',
          type: 'spki',
        }),
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: 'sha256',
      },
      Buffer.from('made locally'),
    );
    const dec = await kms.send(
      new DecryptCommand({
        CiphertextBlob: local,
        KeyId: arn,
        EncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
      }),
    );
    expect(text(dec.Plaintext)).toBe('made locally');
    const enc = await kms.send(
      new EncryptCommand({
        KeyId: arn,
        Plaintext: Buffer.from('via api'),
        EncryptionAlgorithm: 'RSAES_OAEP_SHA_1',
      }),
    );
    const back = await kms.send(
      new DecryptCommand({
        CiphertextBlob: enc.CiphertextBlob,
        KeyId: arn,
        EncryptionAlgorithm: 'RSAES_OAEP_SHA_1',
      }),
    );
    expect(text(back.Plaintext)).toBe('via api');
  });
});

describe('data keys', () => {
  it('GenerateDataKey and GenerateDataKeyWithoutPlaintext decrypt to the data key', async () => {
    const arn = await newKey();
    const dk = await kms.send(
      new GenerateDataKeyCommand({ KeyId: arn, KeySpec: 'AES_256', EncryptionContext: { k: 'v' } }),
    );
    expect(dk.Plaintext).toHaveLength(32);
    expect(dk.KeyId).toBe(arn);
    const dec = await kms.send(
      new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob, EncryptionContext: { k: 'v' } }),
    );
    expect(Buffer.from(dec.Plaintext ?? []).equals(Buffer.from(dk.Plaintext ?? []))).toBe(true);
    const bare = await kms.send(
      new GenerateDataKeyWithoutPlaintextCommand({ KeyId: arn, NumberOfBytes: 16 }),
    );
    expect('Plaintext' in bare).toBe(false);
    const opened = await kms.send(new DecryptCommand({ CiphertextBlob: bare.CiphertextBlob }));
    expect(opened.Plaintext).toHaveLength(16);
    expect(await awsError(kms.send(new GenerateDataKeyCommand({ KeyId: arn })))).toBe(
      'ValidationException',
    );
  });

  it('GenerateDataKeyPair and its WithoutPlaintext variant', async () => {
    const arn = await newKey();
    const pair = await kms.send(
      new GenerateDataKeyPairCommand({ KeyId: arn, KeyPairSpec: 'ECC_NIST_P256' }),
    );
    expect(pair.KeyPairSpec).toBe('ECC_NIST_P256');
    const publicKey = createPublicKey({
      key: Buffer.from(pair.PublicKey ?? []),
      format: 'der',
      type: 'spki',
    });
    expect(publicKey.asymmetricKeyType).toBe('ec');
    const priv = await kms.send(
      new DecryptCommand({ CiphertextBlob: pair.PrivateKeyCiphertextBlob }),
    );
    expect(
      Buffer.from(priv.Plaintext ?? []).equals(Buffer.from(pair.PrivateKeyPlaintext ?? [])),
    ).toBe(true);
    const bare = await kms.send(
      new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: arn, KeyPairSpec: 'RSA_2048' }),
    );
    expect(bare.PublicKey?.length).toBeGreaterThan(200);
    expect((bare as { PrivateKeyPlaintext?: unknown }).PrivateKeyPlaintext).toBeUndefined();
  });
});

describe('signatures, MACs, random', () => {
  it('an ECDSA P-256 signature verifies with node:crypto from the SPKI, and through Verify', async () => {
    const arn = await newKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const message = Buffer.from('signed by custos');
    const signed = await kms.send(
      new SignCommand({ KeyId: arn, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }),
    );
    const pub = await kms.send(new GetPublicKeyCommand({ KeyId: arn }));
    expect(pub).toMatchObject({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const key = createPublicKey({
      key: Buffer.from(pub.PublicKey ?? []),
      format: 'der',
      type: 'spki',
    });
    expect(
      createVerify('sha256')
        .update(message)
        .verify(key, Buffer.from(signed.Signature ?? [])),
    ).toBe(true);
    const verified = await kms.send(
      new VerifyCommand({
        KeyId: arn,
        Message: message,
        Signature: signed.Signature,
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
    );
    expect(verified.SignatureValid).toBe(true);
    const bad = new VerifyCommand({
      KeyId: arn,
      Message: Buffer.from('another message'),
      Signature: signed.Signature,
      SigningAlgorithm: 'ECDSA_SHA_256',
    });
    expect(await awsError(kms.send(bad))).toBe('KMSInvalidSignatureException');
  });

  it('an RSA PSS signature over a DIGEST verifies with node:crypto', async () => {
    const arn = await newKey({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' });
    const message = Buffer.from('rsa message');
    const digest = createHash('sha256').update(message).digest();
    const signed = await kms.send(
      new SignCommand({
        KeyId: arn,
        Message: digest,
        MessageType: 'DIGEST',
        SigningAlgorithm: 'RSASSA_PSS_SHA_256',
      }),
    );
    const pub = await kms.send(new GetPublicKeyCommand({ KeyId: arn }));
    const key = createPublicKey({
      key: Buffer.from(pub.PublicKey ?? []),
      format: 'der',
      type: 'spki',
    });
    const ok = createVerify('sha256')
      .update(message)
      .verify(
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
        Buffer.from(signed.Signature ?? []),
      );
    expect(ok).toBe(true);
  });

  it('GenerateMac and VerifyMac; a wrong MAC is KMSInvalidMacException', async () => {
    const arn = await newKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    const mac = await kms.send(
      new GenerateMacCommand({
        KeyId: arn,
        Message: Buffer.from('m'),
        MacAlgorithm: 'HMAC_SHA_256',
      }),
    );
    expect(mac.Mac).toHaveLength(32);
    const ok = await kms.send(
      new VerifyMacCommand({
        KeyId: arn,
        Message: Buffer.from('m'),
        Mac: mac.Mac,
        MacAlgorithm: 'HMAC_SHA_256',
      }),
    );
    expect(ok.MacValid).toBe(true);
    const bad = new VerifyMacCommand({
      KeyId: arn,
      Message: Buffer.from('n'),
      Mac: mac.Mac,
      MacAlgorithm: 'HMAC_SHA_256',
    });
    expect(await awsError(kms.send(bad))).toBe('KMSInvalidMacException');
    const wrongUse = new SignCommand({
      KeyId: arn,
      Message: Buffer.from('m'),
      SigningAlgorithm: 'ECDSA_SHA_256',
    });
    expect(await awsError(kms.send(wrongUse))).toMatch(
      /InvalidKeyUsageException|ValidationException/,
    );
  });

  it('GenerateRandom', async () => {
    const out = await kms.send(new GenerateRandomCommand({ NumberOfBytes: 64 }));
    expect(out.Plaintext).toHaveLength(64);
    expect(await awsError(kms.send(new GenerateRandomCommand({ NumberOfBytes: 2000 })))).toBe(
      'ValidationException',
    );
  });
});

describe('cross-door', () => {
  it('a CiphertextBlob from this door decrypts through REST, and a REST ciphertext through Decrypt', async () => {
    const arn = await newKey();
    const keyId = arn.slice(arn.lastIndexOf('/') + 1);
    const enc = await kms.send(
      new EncryptCommand({
        KeyId: arn,
        Plaintext: Buffer.from('aws to rest'),
        EncryptionContext: { d: '1' },
      }),
    );
    const viaRest = await server.rest('POST', '/decrypt', {
      ciphertext: Buffer.from(enc.CiphertextBlob ?? []).toString('base64'),
      encryptionContext: { d: '1' },
    });
    expect(viaRest.status).toBe(200);
    expect(Buffer.from(String(viaRest.body.plaintext), 'base64').toString()).toBe('aws to rest');
    const restEnc = await server.rest('POST', `/keys/${keyId}/encrypt`, {
      plaintext: Buffer.from('rest to aws').toString('base64'),
      encryptionContext: { d: '2' },
    });
    expect(restEnc.status).toBe(200);
    const dec = await kms.send(
      new DecryptCommand({
        CiphertextBlob: Buffer.from(String(restEnc.body.ciphertext), 'base64'),
        EncryptionContext: { d: '2' },
      }),
    );
    expect(text(dec.Plaintext)).toBe('rest to aws');
    expect(dec.KeyId).toBe(arn);
  });
});
