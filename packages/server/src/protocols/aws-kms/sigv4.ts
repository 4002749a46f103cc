import { hash, timingSafeEqual } from 'node:crypto';
import type { SecretBytes } from '@custos/crypto';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../../core/principal.js';
import { resolveAccessKey } from '../../service/access-keys/index.js';
import type { Kms } from '../../service/context.js';
import { incompleteSignature, invalidSignature, missingToken } from './aws-errors.js';
import { SigV4Verifier } from './sigv4-verifier.js';

/** SigV4 allows a signed request 5 minutes either side of the server's clock. */
const MAX_SKEW_MS = 5 * 60_000;

const AUTH_RE =
  /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})\s*$/;
const AMZ_DATE_RE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

interface ParsedAuthorization {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

function parseAuthorization(header: string | undefined): ParsedAuthorization {
  if (header === undefined) throw missingToken();
  const match = AUTH_RE.exec(header);
  if (match === null) {
    throw incompleteSignature(
      "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters.",
    );
  }
  const [, accessKeyId = '', date = '', region = '', service = '', signed = '', signature = ''] =
    match;
  return { accessKeyId, date, region, service, signedHeaders: signed.split(';'), signature };
}

function parseAmzDate(value: string | string[] | undefined): Date {
  const match = typeof value === 'string' ? AMZ_DATE_RE.exec(value) : null;
  if (match === null)
    throw incompleteSignature(
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  const [, y, mo, d, h, mi, s] = match.map(Number);
  return new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 0, h ?? 0, mi ?? 0, s ?? 0));
}

const amzLong = (date: Date) =>
  date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

function queryOf(url: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  if (!url.includes('?')) return query;
  const search = new URLSearchParams(url.split('?')[1] ?? '');
  for (const name of new Set(search.keys())) {
    const values = search.getAll(name);
    query[name] = values.length === 1 ? (values[0] ?? '') : values;
  }
  return query;
}

/**
 * Verifies an AWS Signature V4 request and returns the principal of its
 * access key. The signature is recomputed by @smithy/signature-v4 (the AWS
 * SDK's own signer) over exactly the headers the client said it signed, the
 * method, path, query and the received body, then compared in constant time.
 */
export async function verifySigV4(
  kms: Kms,
  request: FastifyRequest,
  body: Buffer,
): Promise<Principal> {
  const auth = parseAuthorization(request.headers.authorization);
  const header = request.headers['x-amz-date'];
  const signingDate = parseAmzDate(header);
  const amzDate = typeof header === 'string' ? header : '';
  const now = kms.clock.now();
  if (Math.abs(now.getTime() - signingDate.getTime()) > MAX_SKEW_MS) {
    const earliest = amzLong(new Date(now.getTime() - MAX_SKEW_MS));
    throw invalidSignature(
      `Signature expired: ${amzLong(signingDate)} is now earlier than ${earliest} (${amzLong(now)} - 5 min.)`,
    );
  }
  if (auth.service !== 'kms') {
    throw invalidSignature(`Credential should be scoped to correct service: 'kms'.`);
  }
  if (!auth.signedHeaders.includes('host')) {
    throw invalidSignature(
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    );
  }
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = request.headers[name];
    if (value === undefined) throw invalidSignature(`signed header ${name} is missing`);
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  checkPayloadHash(headers['x-amz-content-sha256'], body);
  const { principal, secret } = await resolveAccessKey(kms, auth.accessKeyId);
  const expected = await verifierFor(auth.accessKeyId, secret).expectedSignature(
    {
      method: request.method,
      protocol: 'http:',
      hostname: headers.host ?? '',
      path: pathOf(request.url),
      query: queryOf(request.url),
      headers,
      body,
    },
    amzDate,
    signingDate,
    auth.region,
  );
  if (
    !timingSafeEqual(Buffer.from(expected, 'utf8'), Buffer.from(auth.signature, 'utf8')) ||
    !scopeMatches(auth, amzDate)
  ) {
    throw invalidSignature(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  return principal;
}

/** The credential scope's date is the X-Amz-Date's day (parseAmzDate checked its shape). */
function scopeMatches(auth: ParsedAuthorization, amzDate: string): boolean {
  return amzDate.slice(0, 8) === auth.date;
}

/**
 * One verifier per access key secret, for as long as the service keeps that
 * secret: a signer per request cost an object graph, a credential provider
 * and a region provider each time. The secret object is the cache's (never
 * zeroed here); a new one (the entry was reloaded) gets a new signer.
 */
const verifiers = new WeakMap<SecretBytes, SigV4Verifier>();

function verifierFor(accessKeyId: string, secret: SecretBytes): SigV4Verifier {
  let verifier = verifiers.get(secret);
  if (verifier === undefined) {
    verifier = new SigV4Verifier(accessKeyId, secret.bytes.toString('utf8'));
    verifiers.set(secret, verifier);
  }
  return verifier;
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/**
 * The signer trusts a signed x-amz-content-sha256 header as the body's hash,
 * so it must be the hash of the body we received; unsigned payloads are refused.
 */
function checkPayloadHash(declared: string | undefined, body: Buffer): void {
  if (declared === undefined) return;
  if (declared !== hash('sha256', body, 'hex')) {
    throw invalidSignature(
      'The provided x-amz-content-sha256 header does not match what was computed.',
    );
  }
}
