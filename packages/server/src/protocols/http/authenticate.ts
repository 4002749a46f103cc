import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { FastifyRequest } from 'fastify';
import { UnauthenticatedError } from '../../core/errors.js';
import { ANONYMOUS_PRINCIPAL, type Principal } from '../../core/principal.js';
import { sharedPlugin } from '../../ops/shared-plugin.js';
import { refuse } from '../../service/record-refusal.js';
import { requestContext } from './request-context.js';

/**
 * Turns a credential into a principal. app.ts builds it from the identity
 * service; every method throws UnauthenticatedError for a credential that is
 * unknown, expired, revoked or malformed, and never says which.
 */
export interface Authenticator {
  /** A Custos token (`Authorization: Bearer` or `X-Custos-Token`). */
  token(token: string, sourceAddress: string): Promise<Principal>;
  /** A JWT from a configured OIDC realm; absent when no realm is configured. */
  jwt?(jwt: string, sourceAddress: string): Promise<Principal>;
  /** A client certificate the TLS layer verified against the configured client CA. */
  certificate?(certificate: PeerCertificate, sourceAddress: string): Promise<Principal>;
}

export interface AuthenticationOptions {
  readonly authenticator: Authenticator;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Routes that answer everyone the same and read no credential (health probes). */
    readonly public?: boolean;
  }
}

/** Three base64url segments: a compact JWS (RFC 7515 §7.1), not a Custos token. */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
/** Longer than any token or JWT we issue or accept; refused before any lookup. */
const MAX_CREDENTIAL_LENGTH = 16 * 1024;

/**
 * The credential a request carries, by precedence: an explicit token header
 * over the TLS client certificate. Other Authorization schemes (AWS SigV4,
 * Basic) are left to the door that speaks them.
 */
function credentialOf(request: FastifyRequest): { kind: 'bearer'; value: string } | undefined {
  const header = request.headers['x-custos-token'];
  if (typeof header === 'string') return { kind: 'bearer', value: header.trim() };
  if (Array.isArray(header)) throw new UnauthenticatedError('more than one X-Custos-Token header');
  const authorization = request.headers.authorization;
  if (authorization === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (match?.[1] !== undefined) return { kind: 'bearer', value: match[1] };
  if (/^Bearer\b/i.test(authorization))
    throw new UnauthenticatedError('malformed Bearer credential');
  return undefined;
}

function verifiedPeerCertificate(request: FastifyRequest): PeerCertificate | undefined {
  const socket = request.raw.socket as Partial<TLSSocket>;
  if (socket.encrypted !== true || socket.authorized !== true) return undefined;
  const certificate = socket.getPeerCertificate?.();
  return certificate === undefined || Object.keys(certificate).length === 0
    ? undefined
    : certificate;
}

/** Resolves the request's principal; anonymous when it carries no credential at all. */
export async function authenticate(
  request: FastifyRequest,
  authenticator: Authenticator,
): Promise<Principal> {
  const credential = credentialOf(request);
  if (credential !== undefined) {
    const { value } = credential;
    if (value === '' || value.length > MAX_CREDENTIAL_LENGTH) {
      throw new UnauthenticatedError('the credential is not valid');
    }
    if (JWT_SHAPE.test(value) && authenticator.jwt !== undefined) {
      return authenticator.jwt(value, request.ip);
    }
    return authenticator.token(value, request.ip);
  }
  const certificate = verifiedPeerCertificate(request);
  if (certificate !== undefined && authenticator.certificate !== undefined) {
    return authenticator.certificate(certificate, request.ip);
  }
  return ANONYMOUS_PRINCIPAL;
}

/**
 * The authentication hook: every request gets `request.principal` at
 * onRequest, before its body is read. An invalid credential fails the request
 * with UNAUTHENTICATED, rendered by the error handler of the route's door; a
 * missing one leaves it anonymous, and the service's authorizer refuses what
 * anonymous may not do.
 *
 * @example
 * await app.register(authentication, { authenticator });
 */
export const authentication = sharedPlugin<AuthenticationOptions>(
  'custos-authentication',
  (app, options) => {
    const { authenticator } = options;
    // Fastify refuses object defaults (they would be shared); every request gets its own below.
    app.decorateRequest('principal', undefined);
    app.addHook('onRequest', async (request) => {
      request.principal = ANONYMOUS_PRINCIPAL;
      if (request.routeOptions.config.public === true) return;
      try {
        request.principal = await authenticate(request, authenticator);
      } catch (error) {
        if (!(error instanceof Error)) throw error;
        // A refused credential is audited like any refusal (outcome denied, UNAUTHENTICATED).
        await refuse(requestContext(request), 'authenticate', error);
      }
    });
    return Promise.resolve();
  },
);
