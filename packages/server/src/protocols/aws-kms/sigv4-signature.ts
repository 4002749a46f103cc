import { createHmac, hash } from 'node:crypto';
import type { SecretBytes } from '@custos/crypto';

/**
 * Signing keys by access key secret, then by `<date>/<region>/kms`: the HMAC
 * chain from `AWS4` + secret is the same for a key all day in a region, so
 * it is derived once. Entries live as long as the service keeps the secret
 * object (a reloaded entry is a new object, so its keys are derived anew).
 */
const signingKeys = new WeakMap<SecretBytes, Map<string, Buffer>>();
/** Days and regions a client may name are few; one cycling through many must not grow this. */
const MAX_SIGNING_KEYS = 16;

function signingKey(secret: SecretBytes, shortDate: string, region: string): Buffer {
  let keys = signingKeys.get(secret);
  if (keys === undefined) {
    keys = new Map();
    signingKeys.set(secret, keys);
  }
  const scope = `${shortDate}/${region}/kms`;
  let key = keys.get(scope);
  if (key === undefined) {
    const seed = Buffer.concat([Buffer.from('AWS4', 'utf8'), secret.bytes]);
    const dateKey = createHmac('sha256', seed).update(shortDate, 'utf8').digest();
    seed.fill(0);
    const regionKey = createHmac('sha256', dateKey).update(region, 'utf8').digest();
    const serviceKey = createHmac('sha256', regionKey).update('kms', 'utf8').digest();
    key = createHmac('sha256', serviceKey).update('aws4_request', 'utf8').digest();
    dateKey.fill(0);
    regionKey.fill(0);
    serviceKey.fill(0);
    if (keys.size >= MAX_SIGNING_KEYS) keys.clear();
    keys.set(scope, key);
  }
  return key;
}

/**
 * The SigV4 signature (32 bytes) of a canonical request for the service
 * `kms`: HMAC-SHA256 under the day's signing key of the string to sign
 * (algorithm, X-Amz-Date, credential scope, the canonical request's hash).
 *
 * @example
 * signatureOf(secret, canonicalRequest(parts), '20260101T000000Z', 'us-east-1').toString('hex')
 */
export function signatureOf(
  secret: SecretBytes,
  canonical: string,
  amzDate: string,
  region: string,
): Buffer {
  const shortDate = amzDate.slice(0, 8);
  const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${shortDate}/${region}/kms/aws4_request\n${hash('sha256', canonical, 'hex')}`;
  return createHmac('sha256', signingKey(secret, shortDate, region))
    .update(stringToSign, 'utf8')
    .digest();
}
