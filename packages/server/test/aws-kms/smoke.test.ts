import { CreateKeyCommand, DecryptCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsServer, startAwsServer } from './aws-harness.js';

let server: AwsServer;
beforeAll(async () => {
  server = await startAwsServer();
});
afterAll(async () => {
  await server.close();
});

describe('smoke', () => {
  it('encrypts and decrypts', async () => {
    const kms = server.client();
    const key = await kms.send(new CreateKeyCommand({}));
    const arn = key.KeyMetadata?.Arn ?? '';
    const enc = await kms.send(new EncryptCommand({ KeyId: arn, Plaintext: Buffer.from('hello') }));
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }));
    expect(Buffer.from(dec.Plaintext ?? []).toString()).toBe('hello');
    expect(dec.KeyId).toBe(arn);
  });
});
