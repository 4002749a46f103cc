import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { ListKeysCommand } from '@aws-sdk/client-kms';
import { ROOT_PRINCIPAL } from '../../src/core/principal.js';
import { createPrincipal } from '../../src/service/identity/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsServer, awsError, startAwsServer } from './aws-harness.js';

let server: AwsServer;
beforeAll(async () => {
  server = await startAwsServer();
});
afterAll(async () => {
  await server.close();
});

/** A raw signed request, so the tests control the date, target and body. */
async function signedCall(
  options: {
    target?: string;
    body?: string;
    date?: Date;
    secret?: string;
    service?: string;
    region?: string;
  } = {},
) {
  const url = new URL(server.url);
  const body = options.body ?? '{}';
  const signer = new SignatureV4({
    service: options.service ?? 'kms',
    region: options.region ?? 'us-east-1',
    sha256: Sha256,
    credentials: {
      accessKeyId: server.accessKey.accessKeyId,
      secretAccessKey: options.secret ?? server.accessKey.secretAccessKey,
    },
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      headers: {
        host: url.host,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': options.target ?? 'TrentService.ListKeys',
      },
      body,
    },
    { signingDate: options.date ?? new Date() },
  );
  const response = await fetch(`${server.url}/`, {
    method: 'POST',
    headers: signed.headers,
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('SigV4 verification', () => {
  it('accepts a correctly signed request', async () => {
    const out = await signedCall();
    expect(out.status).toBe(200);
    expect(out.body).toHaveProperty('Keys');
  });

  it('a wrong secret is InvalidSignatureException (SDK and raw)', async () => {
    const wrong = server.client({
      accessKeyId: server.accessKey.accessKeyId,
      secretAccessKey: 'x'.repeat(40),
    });
    expect(await awsError(wrong.send(new ListKeysCommand({})))).toBe('InvalidSignatureException');
    const raw = await signedCall({ secret: 'y'.repeat(40) });
    expect(raw).toMatchObject({ status: 400, body: { __type: 'InvalidSignatureException' } });
  });

  it('an unknown access key is UnrecognizedClientException', async () => {
    const unknown = server.client({
      accessKeyId: 'AKIAAAAAAAAAAAAAAAAA',
      secretAccessKey: server.accessKey.secretAccessKey,
    });
    expect(await awsError(unknown.send(new ListKeysCommand({})))).toBe(
      'UnrecognizedClientException',
    );
  });

  it('a request signed more than 5 minutes ago is refused as expired', async () => {
    const out = await signedCall({ date: new Date(Date.now() - 10 * 60_000) });
    expect(out.status).toBe(400);
    expect(out.body.__type).toBe('InvalidSignatureException');
    expect(String(out.body.message)).toMatch(/^Signature expired/);
  });

  it('a signed header or the query changed after signing is InvalidSignatureException', async () => {
    const url = new URL(server.url);
    const signer = new SignatureV4({
      service: 'kms',
      region: 'us-east-1',
      sha256: Sha256,
      credentials: server.accessKey,
    });
    const body = '{}';
    const signed = await signer.sign({
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      path: '/',
      headers: {
        host: url.host,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'TrentService.ListKeys',
      },
      body,
    });
    const send = async (path: string, headers: Record<string, string>) => {
      const response = await fetch(`${server.url}${path}`, { method: 'POST', headers, body });
      return ((await response.json()) as { __type?: string }).__type;
    };
    expect(await send('/', signed.headers)).toBeUndefined();
    expect(await send('/', { ...signed.headers, 'x-amz-target': 'TrentService.ListAliases' })).toBe(
      'InvalidSignatureException',
    );
    expect(await send('/?a=1', signed.headers)).toBe('InvalidSignatureException');
  });

  it('a body changed after signing is InvalidSignatureException', async () => {
    const url = new URL(server.url);
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
        'x-amz-target': 'TrentService.ListKeys',
      },
      body: '{"Limit":1}',
    });
    const response = await fetch(`${server.url}/`, {
      method: 'POST',
      headers: signed.headers,
      body: '{"Limit":2}',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { __type: string }).__type).toBe(
      'InvalidSignatureException',
    );
  });

  it('no Authorization is MissingAuthenticationTokenException; a malformed one IncompleteSignatureException', async () => {
    const bare = await fetch(`${server.url}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'TrentService.ListKeys',
      },
      body: '{}',
    });
    expect(bare.status).toBe(400);
    expect(((await bare.json()) as { __type: string }).__type).toBe(
      'MissingAuthenticationTokenException',
    );
    const malformed = await fetch(`${server.url}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'TrentService.ListKeys',
        authorization: 'AWS4-HMAC-SHA256 Credential=AKIA',
      },
      body: '{}',
    });
    expect(((await malformed.json()) as { __type: string }).__type).toBe(
      'IncompleteSignatureException',
    );
  });

  it('an unknown action is UnknownOperationException; bad JSON is SerializationException', async () => {
    const unknown = await signedCall({ target: 'TrentService.DeleteEverything' });
    expect(unknown).toMatchObject({ status: 400, body: { __type: 'UnknownOperationException' } });
    const bad = await signedCall({ body: '{not json' });
    expect(bad.body.__type).toBe('SerializationException');
  });

  it('a deleted access key stops working at once', async () => {
    const created = await server.rest('POST', '/access-keys', {});
    expect(created.status).toBe(201);
    const key = created.body as { accessKeyId: string; secretAccessKey: string };
    expect(key.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(key.secretAccessKey).toHaveLength(40);
    const client = server.client(key);
    await client.send(new ListKeysCommand({}));
    const listed = await server.rest('GET', '/access-keys');
    expect(JSON.stringify(listed.body)).toContain(key.accessKeyId);
    expect(JSON.stringify(listed.body)).not.toContain(key.secretAccessKey);
    const deleted = await server.rest('DELETE', `/access-keys/${key.accessKeyId}`);
    expect(deleted.status).toBe(204);
    expect(await awsError(client.send(new ListKeysCommand({})))).toBe(
      'UnrecognizedClientException',
    );
  });

  it('an access key acts as its principal: without a policy, AccessDeniedException', async () => {
    const root = { kms: server.kms, principal: ROOT_PRINCIPAL, requestId: 'test' };
    await createPrincipal(root, { id: 'service/nobody' });
    const created = await server.rest('POST', '/access-keys', { principal: 'service/nobody' });
    const client = server.client(created.body as { accessKeyId: string; secretAccessKey: string });
    expect(await awsError(client.send(new ListKeysCommand({})))).toBe('AccessDeniedException');
  });

  it("refuses a request signed for another region than the server's, as AWS does", async () => {
    expect((await signedCall({ region: 'us-east-1' })).status).toBe(200);
    for (const region of ['eu-west-1', 'ap-southeast-2', 'us-east-1x']) {
      const refused = await signedCall({ region });
      expect(refused.status).toBe(400);
      expect(refused.body).toEqual({
        __type: 'InvalidSignatureException',
        message: `Credential should be scoped to a valid region, not '${region}'.`,
      });
    }
    const wrong = await signedCall({ region: 'us-east-1', secret: 'x'.repeat(40) });
    expect(wrong.body.__type).toBe('InvalidSignatureException');
  });

  it('hostile SignedHeaders: a name the header record inherits, one never sent, a false body hash', async () => {
    const url = new URL(server.url);
    const signer = new SignatureV4({
      service: 'kms',
      region: 'us-east-1',
      sha256: Sha256,
      credentials: server.accessKey,
    });
    const body = '{}';
    const signed = await signer.sign({
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      path: '/',
      headers: {
        host: url.host,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'TrentService.ListKeys',
      },
      body,
    });
    const send = async (headers: Record<string, string>) => {
      const response = await fetch(`${server.url}/`, { method: 'POST', headers, body });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const listing = (names: string) =>
      String(signed.headers.authorization).replace(/SignedHeaders=[^,]+/, `SignedHeaders=${names}`);
    for (const name of ['constructor', 'tostring', 'x-not-sent']) {
      const out = await send({ ...signed.headers, authorization: listing(`${name};host`) });
      expect(out).toEqual({
        status: 400,
        body: { __type: 'InvalidSignatureException', message: `signed header ${name} is missing` },
      });
    }
    const falseHash = await send({ ...signed.headers, 'x-amz-content-sha256': 'a'.repeat(64) });
    expect(falseHash).toMatchObject({
      status: 400,
      body: {
        __type: 'InvalidSignatureException',
        message: 'The provided x-amz-content-sha256 header does not match what was computed.',
      },
    });
    // The same list in another order, a name repeated: the canonical request sorts it.
    const names = /SignedHeaders=([^,]+)/.exec(String(signed.headers.authorization))?.[1] ?? '';
    const reordered = names.split(';').reverse().concat('host').join(';');
    expect((await send({ ...signed.headers, authorization: listing(reordered) })).status).toBe(200);
  });

  // Last: it leaves the server sealed.
  it('a sealed server refuses signed requests from a key it already knew (KMSInternalException)', async () => {
    expect((await signedCall()).status).toBe(200);
    server.kms.keyring.seal();
    const sealed = await signedCall();
    expect(sealed).toMatchObject({ status: 500, body: { __type: 'KMSInternalException' } });
  });
});
