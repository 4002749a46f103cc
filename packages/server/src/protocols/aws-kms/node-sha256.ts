import { createHmac, hash } from 'node:crypto';

/** What the signer hands a hash: as @smithy/types' SourceData. */
type SourceData = string | ArrayBuffer | ArrayBufferView;

function bytesOf(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(new Uint8Array(data));
}

/**
 * SHA-256 and HMAC-SHA-256 for @smithy/signature-v4 on node:crypto (OpenSSL)
 * instead of the pure-JS @aws-crypto/sha256-js: the signer hashes the
 * canonical request and body and derives keys by HMAC on every request,
 * which is most of the door's own cost per call. Plain hashes are taken in
 * one shot (crypto.hash) when digested: the signer feeds each one a single
 * chunk, and building a Hash object per call cost more than hashing.
 */
export class NodeSha256 {
  readonly #secret: Buffer | undefined;
  #chunks: Uint8Array[] = [];

  constructor(secret?: SourceData) {
    this.#secret = secret === undefined ? undefined : bytesOf(secret);
  }

  update(data: Uint8Array): void {
    this.#chunks.push(data);
  }

  digest(): Promise<Uint8Array> {
    const chunks = this.#chunks;
    const data = chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks);
    const digest =
      this.#secret === undefined
        ? hash('sha256', data, 'buffer')
        : createHmac('sha256', this.#secret).update(data).digest();
    return Promise.resolve(new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength));
  }

  reset(): void {
    this.#chunks = [];
  }
}
