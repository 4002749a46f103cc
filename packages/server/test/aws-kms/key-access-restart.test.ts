import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  CreateGrantCommand,
  EncryptCommand,
  KMSClient,
  PutKeyPolicyCommand,
} from '@aws-sdk/client-kms';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp } from '../../src/app.js';
import { configSchema } from '../../src/ops/config-schema.js';
import { awsError } from './aws-harness.js';

// Grants and key policies are stored, not only held in memory: a restarted
// server (startApp, as `custos server` runs it) decides by them again.
const discard = () =>
  new Writable({
    write: (_chunk, _encoding, done) => {
      done();
    },
  });

describe('grants and key policies across a restart', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function start(dir: string) {
    const config = configSchema.parse({ dataDir: dir, listen: '127.0.0.1:0' });
    const app = await startApp({ config, stdout: discard(), logDestination: discard() });
    const token = readFileSync(join(dir, 'root-token'), 'utf8').trim();
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${app.url}/api/v1${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-custos-token': token },
        body: JSON.stringify(body),
      });
      expect(response.status).toBeLessThan(300);
      return (await response.json()) as Record<string, string>;
    };
    const client = (credentials: { accessKeyId: string; secretAccessKey: string }) => {
      const kms = new KMSClient({
        endpoint: app.url,
        region: 'us-east-1',
        credentials,
        maxAttempts: 1,
      });
      cleanup.push(() => {
        kms.destroy();
      });
      return kms;
    };
    return { app, post, client };
  }

  it('a grant and a key policy still decide after the server restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'custos-key-access-restart-'));
    cleanup.push(() => {
      rmSync(dir, { recursive: true, force: true });
    });
    const first = await start(dir);
    const admin = first.client((await first.post('/access-keys', {})) as never);
    await first.post('/principals', { id: 'service/granted', kind: 'service' });
    await first.post('/principals', { id: 'service/denied', kind: 'service' });
    const granted = await first.post('/access-keys', { principal: 'service/granted' });
    const denied = await first.post('/access-keys', { principal: 'service/denied' });
    const grantKey = (await first.post('/keys', { spec: 'AES_256' })).keyId ?? '';
    const policyKey = (await first.post('/keys', { spec: 'AES_256' })).keyId ?? '';
    await admin.send(
      new CreateGrantCommand({
        KeyId: grantKey,
        GranteePrincipal: 'arn:aws:iam::111122223333:service/granted',
        Operations: ['Encrypt'],
      }),
    );
    await admin.send(
      new PutKeyPolicyCommand({
        KeyId: policyKey,
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: '*', Action: 'kms:Encrypt', Resource: '*' },
            {
              Effect: 'Deny',
              Principal: { AWS: 'arn:aws:iam::111122223333:service/denied' },
              Action: 'kms:*',
              Resource: '*',
            },
          ],
        }),
      }),
    );
    await first.app.stop();

    const second = await start(dir);
    cleanup.push(() => second.app.stop());
    const plaintext = Buffer.from('still allowed');
    const asGranted = second.client(granted as never);
    const asDenied = second.client(denied as never);
    await asGranted.send(new EncryptCommand({ KeyId: grantKey, Plaintext: plaintext }));
    await asGranted.send(new EncryptCommand({ KeyId: policyKey, Plaintext: plaintext }));
    expect(
      await awsError(asDenied.send(new EncryptCommand({ KeyId: grantKey, Plaintext: plaintext }))),
    ).toBe('AccessDeniedException');
    expect(
      await awsError(asDenied.send(new EncryptCommand({ KeyId: policyKey, Plaintext: plaintext }))),
    ).toBe('AccessDeniedException');
  });
});
