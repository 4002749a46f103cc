import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  type KMSClient,
  type KeySpec,
  ListKeysCommand,
  ReEncryptCommand,
} from '@aws-sdk/client-kms';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsServer, startAwsServer } from './aws-harness.js';

let server: AwsServer;
let kms: KMSClient;
beforeAll(async () => {
  server = await startAwsServer();
  kms = server.client();
});
afterAll(async () => {
  await server.close();
});

const AWS_KEY_SPECS =
  'ECC_NIST_EDWARDS25519, ECC_NIST_P256, ECC_NIST_P384, ECC_NIST_P521, ECC_SECG_P256K1, HMAC_224, HMAC_256, HMAC_384, HMAC_512, ML_DSA_44, ML_DSA_65, ML_DSA_87, ML_KEM_1024, ML_KEM_512, ML_KEM_768, RSA_2048, RSA_3072, RSA_4096, SM2, SYMMETRIC_DEFAULT';

/** The AWS SDK error's name and message, for a call that must fail. */
async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return { name: error.name, message: error.message };
  }
  throw new Error('expected the call to fail');
}

/** A raw signed call, for bodies the AWS SDK would not send. */
async function signedCall(action: string, body: unknown) {
  const url = new URL(server.url);
  const text = JSON.stringify(body);
  const signer = new SignatureV4({
    service: 'kms',
    region: 'us-east-1',
    sha256: Sha256,
    credentials: server.accessKey,
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    path: '/',
    headers: {
      host: url.host,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `TrentService.${action}`,
    },
    body: text,
  });
  const response = await fetch(`${server.url}/`, {
    method: 'POST',
    headers: signed.headers,
    body: text,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function keyCount(): Promise<number> {
  const out = await kms.send(new ListKeysCommand({ Limit: 1000 }));
  return out.Keys?.length ?? 0;
}

describe('CreateKey takes only AWS KeySpec values', () => {
  it.each(['AES_128', 'CHACHA20_POLY1305', 'AES_256', 'ED25519', 'symmetric_default', ''])(
    'KeySpec %j is ValidationException with AWS enum wording and creates nothing',
    async (spec) => {
      const before = await keyCount();
      const out = await failure(kms.send(new CreateKeyCommand({ KeySpec: spec as KeySpec })));
      expect(out.name).toBe('ValidationException');
      expect(out.message).toBe(
        `1 validation error detected: Value '${spec}' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [${AWS_KEY_SPECS}]`,
      );
      expect(await keyCount()).toBe(before);
    },
  );

  it('the deprecated CustomerMasterKeySpec is held to its own AWS list', async () => {
    // Raw calls: the member is deprecated in the SDK's types, still sent by older clients.
    const out = await signedCall('CreateKey', { CustomerMasterKeySpec: 'AES_128' });
    expect(out.body.__type).toBe('ValidationException');
    expect(out.body.message).toMatch(
      /^1 validation error detected: Value 'AES_128' at 'customerMasterKeySpec' failed to satisfy constraint: Member must satisfy enum value set: \[ECC_NIST_P256, .*, SYMMETRIC_DEFAULT\]$/,
    );
    expect(out.body.message).not.toContain('ECC_NIST_EDWARDS25519');
    const created = await signedCall('CreateKey', {
      CustomerMasterKeySpec: 'RSA_2048',
      KeyUsage: 'SIGN_VERIFY',
    });
    expect(created.body).toMatchObject({ KeyMetadata: { KeySpec: 'RSA_2048' } });
  });

  it('hostile values: oversized, with line breaks, of the wrong type', async () => {
    const long = await failure(
      kms.send(new CreateKeyCommand({ KeySpec: 'A'.repeat(5000) as KeySpec })),
    );
    expect(long.name).toBe('ValidationException');
    expect(long.message).toContain(`Value '${'A'.repeat(64)}...' at 'keySpec'`);
    expect(long.message.length).toBeLessThan(1000);
    const broken = await failure(
      kms.send(new CreateKeyCommand({ KeySpec: 'AES_128\r\nX-Evil: 1' as KeySpec })),
    );
    expect(broken.message).toContain(`Value 'AES_128  X-Evil: 1' at 'keySpec'`);
    const before = await keyCount();
    const typed = await signedCall('CreateKey', { KeySpec: 128 });
    expect(typed.body).toEqual({
      __type: 'ValidationException',
      message: `1 validation error detected: Value at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [${AWS_KEY_SPECS}]`,
    });
    const missing = await signedCall('DescribeKey', {});
    expect(missing.body.message).toBe(
      "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null",
    );
    expect(await keyCount()).toBe(before);
  });

  it('an AWS KeySpec Custos has no key type for is UnsupportedOperationException', async () => {
    const before = await keyCount();
    for (const spec of ['SM2', 'ECC_SECG_P256K1', 'HMAC_224', 'ML_DSA_65', 'ML_KEM_768'] as const) {
      const out = await failure(kms.send(new CreateKeyCommand({ KeySpec: spec })));
      expect(out).toEqual({
        name: 'UnsupportedOperationException',
        message: `KeySpec ${spec} is not supported`,
      });
    }
    expect(await keyCount()).toBe(before);
  });
});

describe('DescribeKey of keys made through another door with a spec AWS lacks', () => {
  it.each(['AES_128', 'CHACHA20_POLY1305'])(
    '%s shows its Custos spec name and encrypts and decrypts through this door',
    async (spec) => {
      const made = await server.rest('POST', '/keys', { spec });
      expect(made.status).toBe(201);
      const keyId = String(made.body.keyId);
      const out = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
      expect(out.KeyMetadata).toMatchObject({
        KeyId: keyId,
        KeySpec: spec,
        CustomerMasterKeySpec: spec,
        KeyUsage: 'ENCRYPT_DECRYPT',
        EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
      });
      const plaintext = Buffer.from('through the aws door');
      const encrypted = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext }));
      const decrypted = await kms.send(
        new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }),
      );
      expect(Buffer.from(decrypted.Plaintext ?? new Uint8Array())).toEqual(plaintext);
      expect(decrypted.KeyId).toBe(out.KeyMetadata?.Arn);
      const dataKey = await kms.send(
        new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256' }),
      );
      expect(dataKey.Plaintext?.length).toBe(32);
      const again = await kms.send(
        new ReEncryptCommand({
          CiphertextBlob: dataKey.CiphertextBlob,
          DestinationKeyId: keyId,
        }),
      );
      const reopened = await kms.send(new DecryptCommand({ CiphertextBlob: again.CiphertextBlob }));
      expect(Buffer.from(reopened.Plaintext ?? new Uint8Array())).toEqual(
        Buffer.from(dataKey.Plaintext ?? new Uint8Array()),
      );
    },
  );
});
