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
import { CreateKeyCommand, KMS } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsServer, startAwsServer } from './aws-harness.js';

const { encrypt, decrypt, encryptStream, decryptStream } = buildClient(
  CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT,
);

let server: AwsServer;
let kms: KMS;
let keyring: KmsKeyringNode;
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
  const arn = created.KeyMetadata?.Arn ?? '';
  keyring = new KmsKeyringNode({ generatorKeyId: arn, clientProvider: () => kms });
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
});
