import {
  ALGORITHM_IDENTIFIER,
  SignatureV4,
  createScope,
  getCanonicalHeaders,
  getPayloadHash,
} from '@smithy/signature-v4';
import type { HttpRequest } from '@smithy/types';
import { NodeSha256 } from './node-sha256.js';

/**
 * The signature a client should have sent, recomputed by @smithy/signature-v4
 * (the AWS SDK's own signer): its canonical headers, canonical request,
 * string to sign, signing-key derivation (and cache) and final HMAC, called
 * directly. `sign()` would also clone the request and resolve providers on
 * every call, which a verifier that built the request itself does not need.
 */
export class SigV4Verifier extends SignatureV4 {
  constructor(accessKeyId: string, secretAccessKey: string) {
    super({
      service: 'kms',
      // Each request names its own region (signingRegion below); any is accepted.
      region: 'us-east-1',
      sha256: NodeSha256,
      applyChecksum: false,
      credentials: { accessKeyId, secretAccessKey },
    });
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
    return this.sign(stringToSign, { signingDate, signingRegion: region });
  }
}
