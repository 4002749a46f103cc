/* eslint-disable @typescript-eslint/no-unsafe-class-instance-assignment --
   KmsKeyringNode is built by a mixin over KeyringNode (KmsKeyringClass(KeyringNode)): it is a
   KeyringNode at run time, but the rule cannot see the constructor through the mixin. */
import { Readable } from 'node:stream';
import { buffer as streamToBuffer } from 'node:stream/consumers';
import {
  buildClient,
  CommitmentPolicy,
  getLocalCryptographicMaterialsCache,
  KmsKeyringNode,
  NodeCachingMaterialsManager,
} from '@aws-crypto/client-node';
import { CreateGrantCommand, CreateKeyCommand, KMS } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccessKey, type AwsServer, startAwsServer } from './aws-harness.js';

const { encrypt, decrypt, encryptStream, decryptStream } = buildClient(
  CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT,
);

let server: AwsServer;
let kms: KMS;
let keyring: KmsKeyringNode;
let keyArn = '';
beforeAll(async () => {
  server = await startAwsServer();
  // The keyring calls the aggregated client's methods (kms.generateDataKey), not send().
  kms = new KMS({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: server.accessKey,
    maxAttempts: 1,
  });
  const created = await kms.send(new CreateKeyCommand({}));
  keyArn = created.KeyMetadata?.Arn ?? '';
  keyring = new KmsKeyringNode({ generatorKeyId: keyArn, clientProvider: () => kms });
});
afterAll(async () => {
  kms.destroy();
  await server.close();
});

const context = { tenant: 'acme', purpose: 'interop' };

describe('AWS Encryption SDK with KmsKeyringNode', () => {
  it('encrypts and decrypts a buffer with an encryption context', async () => {
    const plaintext = Buffer.from('through the AWS Encryption SDK');
    const { result } = await encrypt(keyring, plaintext, { encryptionContext: context });
    const { plaintext: back, messageHeader } = await decrypt(keyring, result);
    expect(back.equals(plaintext)).toBe(true);
    expect(messageHeader.encryptionContext).toMatchObject(context);
  });

  it('encrypts and decrypts a stream', async () => {
    const plaintext = Buffer.alloc(200_000, 7);
    const encrypted = await streamToBuffer(
      Readable.from([plaintext]).pipe(encryptStream(keyring, { encryptionContext: context })),
    );
    const back = await streamToBuffer(Readable.from([encrypted]).pipe(decryptStream(keyring)));
    expect(back.equals(plaintext)).toBe(true);
  });

  it('works through the caching materials manager', async () => {
    const cmm = new NodeCachingMaterialsManager({
      backingMaterials: keyring,
      cache: getLocalCryptographicMaterialsCache(10),
      maxAge: 60_000,
      maxMessagesEncrypted: 10,
    });
    for (let i = 0; i < 3; i++) {
      const { result } = await encrypt(cmm, Buffer.from(`message ${String(i)}`), {
        encryptionContext: context,
      });
      const { plaintext } = await decrypt(cmm, result);
      expect(plaintext.toString()).toBe(`message ${String(i)}`);
    }
  });

  it('works for a principal whose only access is a grant constrained to the context, sending its grant token', async () => {
    expect(
      (await server.rest('POST', '/principals', { id: 'service/esdk', kind: 'service' })).status,
    ).toBe(201);
    const key = (await server.rest('POST', '/access-keys', { principal: 'service/esdk' }))
      .body as unknown as AccessKey;
    const grant = await kms.send(
      new CreateGrantCommand({
        KeyId: keyArn,
        GranteePrincipal: 'arn:aws:iam::111122223333:service/esdk',
        Operations: ['GenerateDataKey', 'Decrypt'],
        Constraints: { EncryptionContextSubset: { tenant: 'acme' } },
      }),
    );
    const grantee = new KMS({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: key,
      maxAttempts: 1,
    });
    try {
      const granted = new KmsKeyringNode({
        generatorKeyId: keyArn,
        clientProvider: () => grantee,
        grantTokens: [grant.GrantToken ?? ''],
      });
      const plaintext = Buffer.from('under a grant');
      const { result } = await encrypt(granted, plaintext, { encryptionContext: context });
      expect((await decrypt(granted, result)).plaintext.equals(plaintext)).toBe(true);
      await expect(
        encrypt(granted, plaintext, { encryptionContext: { tenant: 'other' } }),
      ).rejects.toMatchObject({ name: 'AccessDeniedException' });
    } finally {
      grantee.destroy();
    }
  });
});
