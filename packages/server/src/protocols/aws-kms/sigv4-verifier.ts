import { createHmac } from 'node:crypto';
import {
  ALGORITHM_IDENTIFIER,
  SignatureV4,
  createScope,
  getCanonicalHeaders,
  getPayloadHash,
  getSigningKey,
} from '@smithy/signature-v4';
import type { HttpRequest } from '@smithy/types';
import { NodeSha256 } from './node-sha256.js';

/**
 * The signature a client should have sent, recomputed by @smithy/signature-v4
 * (the AWS SDK's own signer): its canonical headers, canonical request,
 * string to sign and signing-key derivation, called directly, then the
 * final HMAC-SHA256 of the string to sign. `sign()` would also clone the
 * request and resolve providers on every call, which a verifier that built
 * the request itself does not need.
 */
export class SigV4Verifier extends SignatureV4 {
  readonly #credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Signing keys by `<date>/<region>`: a day's key per region, derived once. */
  readonly #signingKeys = new Map<string, Uint8Array>();

  constructor(accessKeyId: string, secretAccessKey: string) {
    const credentials = { accessKeyId, secretAccessKey };
    super({
      service: 'kms',
      // Each request names its own region (signingRegion below); any is accepted.
      region: 'us-east-1',
      sha256: NodeSha256,
      applyChecksum: false,
      credentials,
    });
    this.#credentials = credentials;
  }

  /**
   * `request.headers` holds exactly the headers the client listed in
   * SignedHeaders, lower-cased; `amzDate` is their `x-amz-date`.
   */
  async expectedSignature(
    request: HttpRequest,
    amzDate: string,
    signingDate: Date,
    region: string,
  ): Promise<string> {
    const payloadHash = await getPayloadHash(request, NodeSha256);
    const signable = new Set(Object.keys(request.headers));
    const canonical = this.createCanonicalRequest(
      request,
      getCanonicalHeaders(request, undefined, signable),
      payloadHash,
    );
    const scope = createScope(amzDate.slice(0, 8), region, 'kms');
    const stringToSign = await this.createStringToSign(
      amzDate,
      scope,
      canonical,
      ALGORITHM_IDENTIFIER,
    );
    const key = await this.#signingKey(amzDate.slice(0, 8), region);
    return createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  }

  /**
   * smithy's derivation (HMAC chain from `AWS4` + secret over date, region,
   * service, `aws4_request`); smithy caches it too, but looks it up by an
   * HMAC of the secret on every call. This verifier lives only as long as
   * the service keeps the secret, and so does its cache.
   */
  async #signingKey(shortDate: string, region: string): Promise<Uint8Array> {
    const id = `${shortDate}/${region}`;
    let key = this.#signingKeys.get(id);
    if (key === undefined) {
      key = await getSigningKey(NodeSha256, this.#credentials, shortDate, region, 'kms');
      // Days and regions a client may name are few; a client cycling through many must not grow this.
      if (this.#signingKeys.size >= 16) this.#signingKeys.clear();
      this.#signingKeys.set(id, key);
    }
    return key;
  }
}
