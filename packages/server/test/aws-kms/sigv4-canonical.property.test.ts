import { hash } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SecretBytes } from '@custos/crypto';
import {
  ALGORITHM_IDENTIFIER,
  SignatureV4,
  createScope,
  getCanonicalHeaders,
  getSigningKey,
} from '@smithy/signature-v4';
import type { HttpRequest } from '@smithy/types';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalRequest,
  sortedSignedHeaders,
} from '../../src/protocols/aws-kms/sigv4-canonical.js';
import { signatureOf } from '../../src/protocols/aws-kms/sigv4-signature.js';

/**
 * The door's SigV4 canonicalisation and signature against
 * @smithy/signature-v4, the AWS SDK's own signer, as the oracle.
 */

const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** The query as smithy's HttpRequest holds it: decoded, a plain object, repeats as arrays. */
function smithyQuery(url: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  const q = url.indexOf('?');
  if (q === -1) return query;
  const search = new URLSearchParams(url.slice(q + 1));
  for (const name of new Set(search.keys())) {
    const values = search.getAll(name);
    query[name] = values.length === 1 ? (values[0] ?? '') : values;
  }
  return query;
}

class Oracle extends SignatureV4 {
  constructor(accessKeyId: string, secretAccessKey: string) {
    super({
      service: 'kms',
      region: 'us-east-1',
      sha256: Sha256,
      credentials: { accessKeyId, secretAccessKey },
    });
  }
  canonical(request: HttpRequest, payloadHash: string): string {
    const signable = new Set(Object.keys(request.headers));
    return this.createCanonicalRequest(
      request,
      getCanonicalHeaders(request, undefined, signable),
      payloadHash,
    );
  }
  stringToSign(amzDate: string, scope: string, canonical: string): Promise<string> {
    return this.createStringToSign(amzDate, scope, canonical, ALGORITHM_IDENTIFIER);
  }
}

const oracle = new Oracle('AKIAEXAMPLE', 'secret');

/** Raw path and query characters a client may send, percent escapes and dot segments included. */
const rawChar = fc.constantFrom(
  ..."aZ09-_.~!$&'()*+,;=:@%20%2F%25%zz".split(''),
  '%20',
  '%2F',
  '..',
  '.',
);
const segment = fc.oneof(
  fc.constantFrom('', '.', '..', 'a', '%2e', 'x y'.replace(' ', '%20')),
  fc.string({ unit: rawChar, maxLength: 6 }),
);
const path = fc
  .array(segment, { maxLength: 5 })
  .chain((segments) => fc.constantFrom(`/${segments.join('/')}`, `/${segments.join('/')}/`, '/'));
const queryText = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom('a', 'A', 'b', 'X-Amz-Signature', 'x-amz-signature', '__proto__', 'k+v'),
        fc.string({ unit: rawChar, maxLength: 5 }),
      ),
      fc.option(fc.string({ unit: rawChar, maxLength: 6 }), { nil: undefined }),
    ),
    { maxLength: 5 },
  )
  .map((pairs) =>
    pairs.map(([name, value]) => (value === undefined ? name : `${name}=${value}`)).join('&'),
  );
const url = fc
  .tuple(path, fc.option(queryText, { nil: undefined }))
  .map(([p, q]) => (q === undefined ? p : `${p}?${q}`));

const headerName = fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/);
const headerValue = fc.string({
  unit: fc.constantFrom(...'ab Z09\t-_,;:=/+"'.split('')),
  maxLength: 20,
});
const headerSet = fc
  .dictionary(headerName, headerValue, { maxKeys: 6 })
  .map((headers) => ({ ...headers, host: 'localhost:8200' }));

describe('SigV4 canonical request', () => {
  it('is smithy’s canonical request for any signed headers, path, query and body', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('POST', 'GET', 'PUT'),
        url,
        headerSet,
        fc.uint8Array({ maxLength: 64 }),
        fc.boolean(),
        (method, target, headers, body, reversed) => {
          const names = Object.keys(headers);
          // Clients may list their signed headers in any order, even twice.
          const list = (reversed ? [...names].reverse() : names).concat(names.slice(0, 1));
          const payloadHash = hash('sha256', body, 'hex');
          const q = target.indexOf('?');
          const expected = oracle.canonical(
            {
              method,
              protocol: 'http:',
              hostname: 'localhost',
              path: q === -1 ? target : target.slice(0, q),
              query: smithyQuery(target),
              headers,
              body,
            },
            payloadHash,
          );
          const actual = canonicalRequest({
            method,
            url: target,
            signedHeaders: sortedSignedHeaders(list.join(';')),
            headers,
            payloadHash,
          });
          expect(actual).toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('signs as smithy signs: its Authorization verifies, a changed header does not', async () => {
    await fc.assert(
      fc.asyncProperty(
        headerSet,
        fc.option(
          fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 3 }),
          {
            nil: undefined,
          },
        ),
        fc.uint8Array({ maxLength: 256 }),
        fc.stringMatching(/^[A-Za-z0-9/+]{1,40}$/),
        fc.constantFrom('us-east-1', 'eu-west-3', 'ap-southeast-2'),
        fc.date({
          min: new Date('2020-01-01T00:00:00Z'),
          max: new Date('2035-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        async (headers, query, body, secretText, region, date) => {
          const signer = new SignatureV4({
            service: 'kms',
            region,
            sha256: Sha256,
            credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: secretText },
          });
          const signed = await signer.sign(
            {
              method: 'POST',
              protocol: 'http:',
              hostname: 'localhost',
              path: '/',
              headers,
              body,
              ...(query !== undefined && { query }),
            },
            { signingDate: date },
          );
          const auth = String(signed.headers.authorization);
          const signedList = /SignedHeaders=([^,]+)/.exec(auth)?.[1] ?? '';
          const signature = /Signature=([0-9a-f]{64})/.exec(auth)?.[1] ?? '';
          const search = new URLSearchParams(query ?? {}).toString();
          const names = sortedSignedHeaders(signedList);
          const parts = {
            method: 'POST',
            url: search === '' ? '/' : `/?${search}`,
            signedHeaders: names,
            headers: Object.fromEntries(names.map((n) => [n, String(signed.headers[n])])),
            payloadHash: hash('sha256', body, 'hex'),
          };
          const secret = SecretBytes.copyOf(Buffer.from(secretText, 'utf8'));
          const amzDate = String(signed.headers['x-amz-date']);
          expect(
            signatureOf(secret, canonicalRequest(parts), amzDate, region).toString('hex'),
          ).toBe(signature);
          const tampered = { ...parts, headers: { ...parts.headers, host: 'localhost:1' } };
          expect(
            signatureOf(secret, canonicalRequest(tampered), amzDate, region).toString('hex'),
          ).not.toBe(signature);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('derives the signing key as smithy does', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[A-Za-z0-9/+]{1,40}$/),
        fc.stringMatching(/^20[2-3]\d(0[1-9]|1[0-2])(0[1-9]|1\d|2[0-8])$/),
        fc.constantFrom('us-east-1', 'eu-central-1'),
        fc.string({ maxLength: 30 }),
        async (secretText, shortDate, region, canonical) => {
          const amzDate = `${shortDate}T120000Z`;
          const key = await getSigningKey(
            Sha256,
            { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: secretText },
            shortDate,
            region,
            'kms',
          );
          const stringToSign = await oracle.stringToSign(
            amzDate,
            createScope(shortDate, region, 'kms'),
            canonical,
          );
          const hmac = new Sha256(key);
          hmac.update(Buffer.from(stringToSign, 'utf8'));
          const secret = SecretBytes.copyOf(Buffer.from(secretText, 'utf8'));
          expect(signatureOf(secret, canonical, amzDate, region).toString('hex')).toBe(
            toHex(await hmac.digest()),
          );
        },
      ),
      { numRuns: 100 },
    );
  });
});
