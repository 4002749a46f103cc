import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, type JWK, SignJWT, exportJWK, generateKeyPair } from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  authenticateJwt,
  createPrincipal,
  putPolicy,
  type OidcRealmConfig,
} from '../../src/service/identity/index.js';
import { type IdentityHarness, codeOf, makeIdentityKms } from './harness.js';

const ISSUER = 'https://idp.example.test/realms/main';

interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly jwk: JWK;
}

async function signingKey(kid: string, alg = 'ES256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/** A JWKS endpoint on 127.0.0.1 whose key set the test swaps, counting fetches. */
class JwksServer {
  keys: JWK[] = [];
  fetches = 0;
  status = 200;
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((_req, res) => {
      this.fetches++;
      res.writeHead(this.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: this.keys }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${String(port)}/jwks.json`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server?.close((e) => {
        if (e) reject(e);
        else resolve();
      });
    });
  }
}

describe('authenticateJwt', () => {
  const jwks = new JwksServer();
  let url: string;
  let keyA: SigningKey;
  let keyB: SigningKey;
  let h: IdentityHarness;
  let realm: OidcRealmConfig;

  beforeAll(async () => {
    url = await jwks.start();
    [keyA, keyB] = await Promise.all([signingKey('key-a'), signingKey('key-b')]);
  });
  afterAll(async () => {
    await jwks.stop();
  });
  beforeEach(async () => {
    h = await makeIdentityKms();
    jwks.keys = [keyA.jwk];
    jwks.fetches = 0;
    jwks.status = 200;
    // Cooldown 0: the rotation case must refetch at once; caching is still checked below.
    realm = {
      issuer: ISSUER,
      audience: 'custos',
      jwksUrl: url,
      policiesClaim: 'custos_policies',
      jwksCooldownSeconds: 0,
    };
  });
  afterEach(async () => {
    await h.close();
  });

  /** A token valid for five minutes from the service clock's now, unless overridden. */
  function token(
    key: SigningKey,
    claims: Record<string, unknown> = {},
    options: { aud?: string; exp?: number; iss?: string } = {},
  ) {
    const now = Math.floor(h.clock.now().getTime() / 1000);
    return new SignJWT({ custos_policies: ['app'], ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid })
      .setIssuer(options.iss ?? ISSUER)
      .setAudience(options.aud ?? 'custos')
      .setSubject('alice')
      .setIssuedAt(now)
      .setExpirationTime(options.exp ?? now + 300)
      .sign(key.privateKey);
  }

  it('authenticates a valid token as oidc/<issuer>/<sub> with the policies of its claim', async () => {
    const principal = await authenticateJwt(h.kms, await token(keyA, { jti: 'j-1' }), [realm]);
    expect(principal).toEqual({
      id: `oidc/${ISSUER}/alice`,
      kind: 'user',
      policies: ['app'],
      credential: {
        type: 'jwt',
        id: 'j-1',
        expiresAt: new Date(h.clock.now().getTime() + 300_000),
      },
    });
  });

  it('caches the key set between verifications', async () => {
    await authenticateJwt(h.kms, await token(keyA), [realm]);
    await authenticateJwt(h.kms, await token(keyA), [realm]);
    await authenticateJwt(h.kms, await token(keyA), [realm]);
    expect(jwks.fetches).toBe(1);
  });

  it('takes policies from the principal record when the realm names no claim', async () => {
    await putPolicy(h.root, {
      name: 'readers',
      document: { version: '2026-11-01', statements: [] },
    });
    await createPrincipal(h.root, { id: `oidc/${ISSUER}/alice`, policies: ['readers'] });
    const withoutClaim = { ...realm, policiesClaim: undefined };
    expect((await authenticateJwt(h.kms, await token(keyA), [withoutClaim])).policies).toEqual([
      'readers',
    ]);
  });

  it('uses the configured principal claim, and filters malformed policy names', async () => {
    const jwt = await token(keyA, {
      email: 'alice@example.test',
      custos_policies: 'app bad/name other',
    });
    const principal = await authenticateJwt(h.kms, jwt, [{ ...realm, principalClaim: 'email' }]);
    expect(principal.id).toBe(`oidc/${ISSUER}/alice@example.test`);
    expect(principal.policies).toEqual(['app', 'other']);
  });

  it('refuses a token for another audience', async () => {
    expect(
      await codeOf(authenticateJwt(h.kms, await token(keyA, {}, { aud: 'other' }), [realm])),
    ).toBe('UNAUTHENTICATED');
  });

  it('refuses an expired token, by the service clock, past the tolerance', async () => {
    const jwt = await token(keyA);
    h.clock.advance(300_000 + 29_000);
    expect((await authenticateJwt(h.kms, jwt, [realm])).id).toBe(`oidc/${ISSUER}/alice`);
    h.clock.advance(2_000);
    expect(await codeOf(authenticateJwt(h.kms, jwt, [realm]))).toBe('UNAUTHENTICATED');
  });

  it('refuses a token of an unknown issuer, a tampered one and garbage', async () => {
    expect(
      await codeOf(
        authenticateJwt(h.kms, await token(keyA, {}, { iss: 'https://evil.example' }), [realm]),
      ),
    ).toBe('UNAUTHENTICATED');
    const jwt = await token(keyA);
    const [header, payload, signature] = jwt.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: 'root' }),
    ).toString('base64url');
    expect(
      await codeOf(authenticateJwt(h.kms, `${header!}.${forged}.${signature!}`, [realm])),
    ).toBe('UNAUTHENTICATED');
    expect(await codeOf(authenticateJwt(h.kms, 'a.b.c', [realm]))).toBe('UNAUTHENTICATED');
    expect(await codeOf(authenticateJwt(h.kms, await token(keyA), []))).toBe('UNAUTHENTICATED');
  });

  it('refuses a token without exp, and an HMAC token', async () => {
    const noExp = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: keyA.kid })
      .setIssuer(ISSUER)
      .setAudience('custos')
      .setSubject('alice')
      .sign(keyA.privateKey);
    expect(await codeOf(authenticateJwt(h.kms, noExp, [realm]))).toBe('UNAUTHENTICATED');
    const hmac = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', kid: keyA.kid })
      .setIssuer(ISSUER)
      .setAudience('custos')
      .setSubject('alice')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('x'.repeat(32)));
    expect(await codeOf(authenticateJwt(h.kms, hmac, [realm]))).toBe('UNAUTHENTICATED');
  });

  it('picks up a rotated key set on an unknown kid, and drops the retired key', async () => {
    await authenticateJwt(h.kms, await token(keyA), [realm]);
    expect(jwks.fetches).toBe(1);
    jwks.keys = [keyB.jwk];
    const principal = await authenticateJwt(h.kms, await token(keyB), [realm]);
    expect(principal.id).toBe(`oidc/${ISSUER}/alice`);
    expect(jwks.fetches).toBe(2);
    expect(await codeOf(authenticateJwt(h.kms, await token(keyA), [realm]))).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('does not refetch on an unknown kid during the cooldown', async () => {
    const cooled = { ...realm, jwksCooldownSeconds: 30 };
    await authenticateJwt(h.kms, await token(keyA), [cooled]);
    jwks.keys = [keyB.jwk];
    expect(await codeOf(authenticateJwt(h.kms, await token(keyB), [cooled]))).toBe(
      'UNAUTHENTICATED',
    );
    expect(jwks.fetches).toBe(1);
  });

  it('reports an identity provider whose key set fails as UNAVAILABLE, not as a bad token', async () => {
    jwks.status = 500;
    expect(await codeOf(authenticateJwt(h.kms, await token(keyA), [realm]))).toBe('UNAVAILABLE');
    const down = { ...realm, jwksUrl: 'http://127.0.0.1:1/jwks.json' };
    expect(await codeOf(authenticateJwt(h.kms, await token(keyA), [down]))).toBe('UNAVAILABLE');
  });

  it('refuses the token of a disabled principal record', async () => {
    await createPrincipal(h.root, { id: `oidc/${ISSUER}/alice` });
    const record = (await h.store.getPrincipal(`oidc/${ISSUER}/alice`))!;
    await h.store.transaction((tx) => tx.updatePrincipal({ ...record, disabled: true }));
    expect(await codeOf(authenticateJwt(h.kms, await token(keyA), [realm]))).toBe(
      'UNAUTHENTICATED',
    );
  });
});
