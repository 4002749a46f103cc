/**
 * A real Custos HTTP server on 127.0.0.1 (ephemeral port) with the native
 * API, the identity and access-key routes and the AWS KMS door, deciding by policies,
 * plus an AWS SDK KMSClient signed with an access key created through the API.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KMSClient } from '@aws-sdk/client-kms';
import type { FastifyInstance } from 'fastify';
import { PolicyAuthorizer } from '../../src/authz/policy-authorizer.js';
import { createLogger } from '../../src/ops/logger.js';
import { awsKmsDoor } from '../../src/protocols/aws-kms/plugin.js';
import { createHttpServer } from '../../src/protocols/http/server.js';
import { accessKeyRoutes } from '../../src/protocols/rest/access-key-routes.js';
import { RouteCatalogue } from '../../src/protocols/rest/catalogue.js';
import { identityRoutes } from '../../src/protocols/rest/identity-routes.js';
import { restApi } from '../../src/protocols/rest/index.js';
import { DevFileSeal } from '../../src/seal/dev-file-seal.js';
import { Keyring } from '../../src/seal/keyring.js';
import type { Kms, KmsConfig } from '../../src/service/context.js';
import { authenticateToken, createRootToken } from '../../src/service/identity/index.js';
import { createKms } from '../../src/service/kms.js';
import { initializeKms } from '../../src/service/seal-state.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';

export interface AccessKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface AwsServer {
  readonly url: string;
  readonly kms: Kms;
  readonly http: FastifyInstance;
  readonly rootToken: string;
  readonly accessKey: AccessKey;
  /** A KMSClient for this server, signed with `accessKey` unless told otherwise. */
  client(credentials?: AccessKey, region?: string): KMSClient;
  /** JSON request to the native API as root. */
  rest(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function startAwsServer(config: Partial<KmsConfig> = {}): Promise<AwsServer> {
  const dir = mkdtempSync(join(tmpdir(), 'custos-aws-'));
  const store = await openSqliteStore({ path: join(dir, 'custos.db') });
  const keyring = new Keyring();
  const authorizer = new PolicyAuthorizer();
  const kms = createKms({ store, keyring, authorizer, config });
  await initializeKms(kms, await DevFileSeal.create(join(dir, 'root.key')));
  const { token: rootToken } = await createRootToken(kms);
  const http = await createHttpServer({
    kms,
    logger: createLogger({ level: 'silent' }),
    limits: { bodyBytes: 1024 * 1024, requestTimeoutMs: 30_000, connectionTimeoutMs: 30_000 },
    authenticator: { token: (token) => authenticateToken(kms, token) },
    health: {
      probe: () => Promise.resolve({ initialized: true, sealed: false, store: 'ok' }),
      version: 'test',
    },
    api: [
      async (app) => {
        await app.register(restApi, {});
      },
      async (app) => {
        await app.register(accessKeyRoutes, {});
      },
      async (app) => {
        await app.register(identityRoutes, { catalogue: new RouteCatalogue() });
      },
    ],
    doors: [
      async (app) => {
        await app.register(awsKmsDoor, {});
      },
    ],
  });
  await http.listen({ host: '127.0.0.1', port: 0 });
  const address = http.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const url = `http://127.0.0.1:${String(port)}`;
  const rest: AwsServer['rest'] = async (method, path, body) => {
    const response = await fetch(`${url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${rootToken}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
    };
  };
  const created = await rest('POST', '/access-keys', {});
  const accessKey = created.body as unknown as AccessKey;
  const clients: KMSClient[] = [];
  return {
    url,
    kms,
    http,
    rootToken,
    accessKey,
    client(credentials = accessKey, region = 'us-east-1') {
      const client = new KMSClient({
        endpoint: url,
        region,
        credentials,
        maxAttempts: 1,
      });
      clients.push(client);
      return client;
    },
    rest,
    async close() {
      for (const client of clients) client.destroy();
      await http.close();
      await store.close();
      keyring.seal();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The `__type` name of the AWS SDK error a promise rejects with. */
export async function awsError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return error instanceof Error ? error.name : 'unknown';
  }
  throw new Error('expected the call to fail');
}
