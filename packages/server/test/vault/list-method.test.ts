import { METHODS } from 'node:http';
import { connect } from 'node:net';
import vault from 'node-vault';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVaultServer, type VaultServer } from './vault-harness.js';

let server: VaultServer;
let port: number;

beforeAll(async () => {
  server = await startVaultServer({ vault: { mounts: ['transit', 'team-a'] } });
  port = Number(new URL(server.url).port);
  await server.call('POST', '/v1/transit/keys/alpha', {});
  await server.call('POST', '/v1/transit/keys/beta', {});
});
afterAll(async () => {
  await server.close();
});

/** Sends raw bytes on one connection and collects everything until the server closes it. */
function raw(...chunks: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (data: Buffer) => (received += data.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      resolve(received);
    });
    socket.on('connect', () => {
      let delay = 0;
      for (const chunk of chunks) {
        setTimeout(() => socket.write(chunk), delay);
        delay += 50;
      }
      setTimeout(() => socket.end(), delay + 500);
    });
  });
}

const bodyOf = (response: string): Record<string, unknown> =>
  JSON.parse(response.slice(response.lastIndexOf('\r\n\r\n') + 4)) as Record<string, unknown>;

describe('the LIST verb', () => {
  it("is not one Node's HTTP parser knows", () => {
    expect(METHODS).not.toContain('LIST');
  });

  it('LIST /v1/transit/keys answers the key names, as Vault', async () => {
    const response = await raw(
      `LIST /v1/transit/keys HTTP/1.1\r\nHost: x\r\nX-Vault-Token: ${server.token}\r\n\r\n`,
    );
    expect(response).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(response).toMatch(/\r\nconnection: close\r\n/i);
    expect((bodyOf(response).data as { keys: string[] }).keys).toEqual(['alpha', 'beta']);
  });

  it('works as the second request of a kept-alive connection', async () => {
    const response = await raw(
      `GET /v1/sys/health HTTP/1.1\r\nHost: x\r\n\r\n`,
      `LIST /v1/transit/keys/ HTTP/1.1\r\nHost: x\r\nX-Vault-Token: ${server.token}\r\n\r\n`,
    );
    const answers = response.split(/(?=HTTP\/1\.1 )/);
    expect(answers).toHaveLength(2);
    expect(answers[1]).toMatch(/^HTTP\/1\.1 200 OK/);
    expect((bodyOf(answers[1] ?? '').data as { keys: string[] }).keys).toContain('alpha');
  });

  it('keeps authentication: no token is 403, an empty mount is 404', async () => {
    const denied = await raw(`LIST /v1/transit/keys HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(denied).toMatch(/^HTTP\/1\.1 403 /);
    expect(bodyOf(denied)).toEqual({ errors: ['permission denied'] });
    const empty = await raw(
      `LIST /v1/team-a/keys HTTP/1.1\r\nHost: x\r\nX-Vault-Token: ${server.token}\r\n\r\n`,
    );
    expect(empty).toMatch(/^HTTP\/1\.1 404 /);
  });

  it('refuses LIST on other paths (405) and malformed heads (400); other bad methods stay 400', async () => {
    const other = await raw(
      `LIST /v1/transit/keys/alpha HTTP/1.1\r\nHost: x\r\nX-Vault-Token: ${server.token}\r\n\r\n`,
    );
    expect(other).toMatch(/^HTTP\/1\.1 405 /);
    const bad = await raw(`LIST /v1/transit/keys HTTP/1.1\r\nno colon here\r\n\r\n`);
    expect(bad).toMatch(/^HTTP\/1\.1 400 /);
    const huge = await raw(
      `LIST /v1/transit/keys HTTP/1.1\r\nX-Pad: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(huge).toMatch(/^HTTP\/1\.1 4\d\d /);
    const nonsense = await raw(`FROB /v1/transit/keys HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(nonsense).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('node-vault lists with its default LIST verb', async () => {
    const client = vault({ endpoint: server.url, token: server.token });
    const listed = (await client.list('transit/keys')) as { data: { keys: string[] } };
    expect(listed.data.keys).toEqual(['alpha', 'beta']);
  });
});
