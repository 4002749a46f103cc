import { PassThrough, Readable } from 'node:stream';
import { DescribeKeyCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/command.js';
import { CLIENT_COMMANDS } from '../../src/cli/commands/client-commands.js';
import { dispatch } from '../../src/cli/dispatch.js';
import { type AwsServer, awsError, startAwsServer } from './aws-harness.js';

let server: AwsServer;
beforeAll(async () => {
  server = await startAwsServer();
});
afterAll(async () => {
  await server.close();
});

/** `custos <argv>` in-process against the test server, as root. */
async function custos(argv: string[]): Promise<{ code: number; stdout: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  stdout.on('data', (piece: Buffer) => out.push(piece));
  stderr.resume();
  const io: CliIo = {
    stdout,
    stderr,
    stdin: Readable.from([]),
    env: { CUSTOS_ADDR: server.url, CUSTOS_TOKEN: server.rootToken },
    isTTY: false,
  };
  const code = await dispatch(CLIENT_COMMANDS, argv, io);
  return { code, stdout: Buffer.concat(out).toString('utf8') };
}

describe('custos access-key', () => {
  it('create --json prints exactly {accessKeyId, secretAccessKey}, usable by the AWS SDK', async () => {
    const created = await custos(['access-key', 'create', '--json']);
    expect(created.code).toBe(0);
    const key = JSON.parse(created.stdout) as { accessKeyId: string; secretAccessKey: string };
    expect(Object.keys(key).sort()).toEqual(['accessKeyId', 'secretAccessKey']);
    const client = server.client(key);
    expect((await client.send(new ListKeysCommand({}))).Keys).toBeDefined();

    const listed = await custos(['access-key', 'list', '--json']);
    expect(listed.stdout).toContain(key.accessKeyId);
    expect(listed.stdout).not.toContain(key.secretAccessKey);

    const deleted = await custos(['access-key', 'delete', key.accessKeyId, '--json']);
    expect(deleted.code).toBe(0);
    const missing = new DescribeKeyCommand({ KeyId: '00000000-0000-4000-8000-000000000000' });
    expect(await awsError(client.send(missing))).toBe('UnrecognizedClientException');
  });

  it('create --principal for a principal that does not exist fails', async () => {
    const out = await custos(['access-key', 'create', '--principal', 'user/ghost', '--json']);
    expect(out.code).not.toBe(0);
  });
});
