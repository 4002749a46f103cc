import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsServer, startAwsServer } from './aws-harness.js';

const run = promisify(execFile);

/**
 * Debian's AWS CLI v2 (scripts/setup-system.sh installs it), by its full path so
 * that no other `aws` earlier on PATH stands in for it. Outside CI a machine
 * without it skips these cases; in CI a missing CLI fails them.
 */
const AWS_CLI = '/usr/bin/aws';

async function hasAwsCli(): Promise<boolean> {
  try {
    await run(AWS_CLI, ['--version'], { timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}
const available = process.env.CI === 'true' || (await hasAwsCli());

let server: AwsServer;
beforeAll(async () => {
  if (available) server = await startAwsServer();
});
afterAll(async () => {
  if (available) await server.close();
});

async function aws(args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(
    AWS_CLI,
    ['kms', ...args, '--endpoint-url', server.url, '--region', 'us-east-1', '--output', 'json'],
    {
      timeout: 30_000,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        AWS_ACCESS_KEY_ID: server.accessKey.accessKeyId,
        AWS_SECRET_ACCESS_KEY: server.accessKey.secretAccessKey,
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    },
  );
  return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>);
}

describe.skipIf(!available)('the AWS CLI (aws kms)', () => {
  it('is installed', async () => {
    expect(await hasAwsCli()).toBe(true);
  });

  it('create-key, encrypt, decrypt, list-keys', async () => {
    const created = await aws(['create-key', '--description', 'from the aws cli']);
    const keyId = (created.KeyMetadata as { KeyId: string }).KeyId;
    // Blobs go in as files (fileb://): CLI v1 and v2 read those as raw bytes alike.
    const dir = mkdtempSync(join(tmpdir(), 'custos-aws-cli-'));
    try {
      writeFileSync(join(dir, 'plain'), 'aws cli');
      const encrypted = await aws([
        'encrypt',
        '--key-id',
        keyId,
        '--plaintext',
        `fileb://${join(dir, 'plain')}`,
        '--encryption-context',
        'app=cli',
      ]);
      writeFileSync(join(dir, 'blob'), Buffer.from(String(encrypted.CiphertextBlob), 'base64'));
      const decrypted = await aws([
        'decrypt',
        '--ciphertext-blob',
        `fileb://${join(dir, 'blob')}`,
        '--encryption-context',
        'app=cli',
      ]);
      expect(Buffer.from(String(decrypted.Plaintext), 'base64').toString()).toBe('aws cli');
      const listed = await aws(['list-keys']);
      expect(JSON.stringify(listed.Keys)).toContain(keyId);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
