import { createHash, createHmac } from 'node:crypto';

/** What the signer hands a hash: as @smithy/types' SourceData. */
type SourceData = string | ArrayBuffer | ArrayBufferView;
/** A running hash or HMAC: what createHash and createHmac return. */
interface Digest {
  update(data: Uint8Array): unknown;
  digest(): Buffer;
}

function bytesOf(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(new Uint8Array(data));
}

/**
 * SHA-256 and HMAC-SHA-256 for @smithy/signature-v4 on node:crypto (OpenSSL)
 * instead of the pure-JS @aws-crypto/sha256-js: the signer derives a signing
 * key with four HMACs and hashes the canonical request and body on every
 * request, which is most of the door's own cost per call.
 */
export class NodeSha256 {
  #hash: Digest;
  readonly #secret: Buffer | undefined;

  constructor(secret?: SourceData) {
    this.#secret = secret === undefined ? undefined : bytesOf(secret);
    this.#hash = this.#fresh();
  }

  update(data: Uint8Array): void {
    this.#hash.update(data);
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.#hash.digest()));
  }

  reset(): void {
    this.#hash = this.#fresh();
  }

  #fresh(): Digest {
    return this.#secret === undefined ? createHash('sha256') : createHmac('sha256', this.#secret);
  }
}
