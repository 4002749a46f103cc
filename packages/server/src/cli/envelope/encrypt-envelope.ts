import { randomBytes } from 'node:crypto';
import { type EncryptionContext, type SecretBytes, aesGcmEncrypt } from '@custos/crypto';
import { InvalidInputError } from '../../core/errors.js';
import { ByteReader } from './byte-reader.js';
import {
  DATA_KEY_LENGTH,
  DEFAULT_CHUNK_SIZE,
  MAX_CHUNKS,
  NONCE_LENGTH,
  chunkAad,
  chunkNonce,
  encodeHeader,
} from './format.js';

/** A fresh data key and its copy wrapped by the key service. */
export interface NewDataKey {
  /** Owned by the envelope from here on: zeroed when encryption ends, however it ends. */
  readonly dataKey: SecretBytes;
  /** A v1 Custos ciphertext of the data key, made under the same encryption context. */
  readonly wrappedKey: Uint8Array;
}

export interface EncryptEnvelopeOptions {
  readonly context?: EncryptionContext;
  /** Plaintext bytes per full chunk; default 64 KiB. */
  readonly chunkSize?: number;
  /** Asks the key service for a data key (POST /keys/{key}/data-key in the CLI). */
  readonly newDataKey: (context: EncryptionContext | undefined) => Promise<NewDataKey>;
}

/**
 * Encrypts a stream into the CLI envelope format, chunk by chunk: memory stays
 * at one chunk however large the input. Yields the header, then each chunk.
 *
 * @example
 * await pipeline(input, (source) => encryptEnvelope(source, { newDataKey }), output);
 */
export async function* encryptEnvelope(
  source: AsyncIterable<Uint8Array>,
  options: EncryptEnvelopeOptions,
): AsyncGenerator<Buffer> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const { dataKey, wrappedKey } = await options.newDataKey(options.context);
  const reader = new ByteReader(source);
  try {
    /* Precondition: the data key is an AES-256 key. */
    if (dataKey.length !== DATA_KEY_LENGTH) {
      throw new InvalidInputError('the key service returned a data key of the wrong length');
    }
    const header = encodeHeader({
      chunkSize,
      nonceBase: randomBytes(NONCE_LENGTH),
      context: options.context,
      wrappedKey,
    });
    yield header.bytes;
    for (let index = 0; ; index++) {
      /* Precondition: chunk nonces never repeat under one data key. */
      if (index >= MAX_CHUNKS) throw new InvalidInputError('input too large for one envelope');
      // A full chunk is never the last one: the last chunk is always shorter
      // than chunkSize (possibly empty), so a reader knows the end when it sees it.
      await reader.fill(chunkSize);
      const final = reader.buffered < chunkSize;
      const plaintext = await reader.read(chunkSize);
      const { ciphertext, tag } = aesGcmEncrypt(
        dataKey.bytes,
        chunkNonce(header.nonceBase, index),
        plaintext,
        chunkAad(header, index, final),
      );
      yield Buffer.concat([ciphertext, tag]);
      if (final) return;
    }
  } finally {
    dataKey.zero();
    await reader.close();
  }
}
