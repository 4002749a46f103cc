import { hash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../../core/principal.js';
import { resolveAccessKey } from '../../service/access-keys/index.js';
import type { Kms } from '../../service/context.js';
import { incompleteSignature, invalidSignature, missingToken } from './aws-errors.js';
import { canonicalRequest, sortedSignedHeaders } from './sigv4-canonical.js';
import { signatureOf } from './sigv4-signature.js';

/** SigV4 allows a signed request 5 minutes either side of the server's clock. */
const MAX_SKEW_MS = 5 * 60_000;

const AUTH_RE =
  /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})\s*$/;
const AMZ_DATE_RE = /^\d{8}T\d{6}Z$/;

interface ParsedAuthorization {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  /** As sent: `a;b;c`. */
  readonly signedHeaders: string;
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
  return { accessKeyId, date, region, service, signedHeaders: signed, signature };
}

/** X-Amz-Date (`YYYYMMDDTHHMMSSZ`) as epoch milliseconds. */
function parseAmzDate(value: string | string[] | undefined): number {
  if (typeof value !== 'string' || !AMZ_DATE_RE.test(value)) {
    throw incompleteSignature(
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  }
  const field = (start: number, end: number) => Number(value.slice(start, end));
  return Date.UTC(
    field(0, 4),
    field(4, 6) - 1,
    field(6, 8),
    field(9, 11),
    field(11, 13),
    field(13, 15),
  );
}

const amzLong = (date: Date) =>
  date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/**
 * Verifies an AWS Signature V4 request and returns the principal of its
 * access key. The signature is recomputed over the method, path, query,
 * exactly the headers the client said it signed and the received body
 * (sigv4-canonical.ts, held to @smithy/signature-v4 by a property test),
 * then compared in constant time. The credential scope must name this
 * server's region (config `aws.region`) and the service `kms`, as AWS
 * refuses a request signed for another region's endpoint.
 */
export async function verifySigV4(
  kms: Kms,
  request: FastifyRequest,
  body: Buffer,
  region: string,
): Promise<Principal> {
  const auth = parseAuthorization(request.headers.authorization);
  const header = request.headers['x-amz-date'];
  const signingDate = parseAmzDate(header);
  const amzDate = typeof header === 'string' ? header : '';
  const now = kms.clock.now();
  if (Math.abs(now.getTime() - signingDate) > MAX_SKEW_MS) {
    const earliest = amzLong(new Date(now.getTime() - MAX_SKEW_MS));
    throw invalidSignature(
      `Signature expired: ${amzLong(new Date(signingDate))} is now earlier than ${earliest} (${amzLong(now)} - 5 min.)`,
    );
  }
  if (auth.region !== region) {
    throw invalidSignature(
      `Credential should be scoped to a valid region, not '${printableScope(auth.region)}'.`,
    );
  }
  if (auth.service !== 'kms') {
    throw invalidSignature(`Credential should be scoped to correct service: 'kms'.`);
  }
  const signedHeaders = sortedSignedHeaders(auth.signedHeaders);
  if (!signedHeaders.includes('host')) {
    throw invalidSignature(
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    );
  }
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = Object.hasOwn(request.headers, name) ? request.headers[name] : undefined;
    if (typeof value === 'string') headers[name] = value;
    else if (Array.isArray(value)) headers[name] = value.join(',');
    else throw invalidSignature(`signed header ${name} is missing`);
  }
  const payloadHash = checkedPayloadHash(headers['x-amz-content-sha256'], body);
  const { principal, secret } = await resolveAccessKey(kms, auth.accessKeyId);
  const canonical = canonicalRequest({
    method: request.method,
    url: request.url,
    signedHeaders,
    headers,
    payloadHash,
  });
  const shortDate = amzDate.slice(0, 8);
  const expected = signatureOf(secret, canonical, amzDate, auth.region);
  if (!timingSafeEqual(expected, Buffer.from(auth.signature, 'hex')) || shortDate !== auth.date) {
    throw invalidSignature(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  return principal;
}

/**
 * The body's hash as the canonical request carries it. A signed
 * x-amz-content-sha256 header stands for the body in the signature, so it
 * must be the hash of the body we received.
 */
function checkedPayloadHash(declared: string | undefined, body: Buffer): string {
  const actual = hash('sha256', body, 'hex');
  if (declared !== undefined && declared !== actual) {
    throw invalidSignature(
      'The provided x-amz-content-sha256 header does not match what was computed.',
    );
  }
  return actual;
}

/** A client-supplied scope part fit to quote in an error: bounded, printable ASCII only. */
function printableScope(text: string): string {
  return text.slice(0, 64).replace(/[^\x20-\x7e]/g, '?');
}
