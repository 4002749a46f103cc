import { type EncryptionContext, type SecretBytes, aesGcmDecrypt } from '@custos/crypto';
import { ByteReader } from './byte-reader.js';
import { EnvelopeError } from './errors.js';
import {
  DATA_KEY_LENGTH,
  FIXED_HEADER_LENGTH,
  MAX_CHUNKS,
  TAG_LENGTH,
  type EnvelopeHeader,
  checkContext,
  chunkAad,
  chunkNonce,
  headerLength,
  parseHeader,
} from './format.js';

export interface DecryptEnvelopeOptions {
  readonly context?: EncryptionContext;
  /** Asks the key service to decrypt the wrapped data key (POST /decrypt in the CLI). */
  readonly unwrapDataKey: (
    wrappedKey: Buffer,
    context: EncryptionContext | undefined,
  ) => Promise<SecretBytes>;
  /** Called once the header is read, before any chunk (the CLI reports the key). */
  readonly onHeader?: (header: EnvelopeHeader) => void;
}

/** Reads and checks the header, and the context against it, before anything is unwrapped. */
export async function readEnvelopeHeader(reader: ByteReader): Promise<EnvelopeHeader> {
  const fixed = await reader.read(FIXED_HEADER_LENGTH);
  const length = headerLength(fixed);
  const rest = await reader.read(length - FIXED_HEADER_LENGTH);
  return parseHeader(Buffer.concat([fixed, rest]));
}

/**
 * Decrypts a CLI envelope stream chunk by chunk. Each chunk is authenticated
 * before it is yielded; a missing final chunk is detected at the end, so a
 * consumer must treat output as valid only when iteration completes.
 *
 * @example
 * await pipeline(input, (source) => decryptEnvelope(source, { unwrapDataKey }), output);
 */
export async function* decryptEnvelope(
  source: AsyncIterable<Uint8Array>,
  options: DecryptEnvelopeOptions,
): AsyncGenerator<Buffer> {
  const reader = new ByteReader(source);
  let dataKey: SecretBytes | undefined;
  try {
    const header = await readEnvelopeHeader(reader);
    checkContext(header, options.context);
    options.onHeader?.(header);
    dataKey = await options.unwrapDataKey(header.wrappedKey, options.context);
    if (dataKey.length !== DATA_KEY_LENGTH) {
      throw new EnvelopeError('MALFORMED_HEADER', 'the envelope data key has the wrong length');
    }
    const frameLength = header.chunkSize + TAG_LENGTH;
    for (let index = 0; ; index++) {
      if (index >= MAX_CHUNKS)
        throw new EnvelopeError('TOO_MANY_CHUNKS', 'envelope has too many chunks');
      await reader.fill(frameLength);
      // A full-length frame is never the last: the writer always ends with a shorter one.
      const final = reader.buffered < frameLength;
      const frame = await reader.read(frameLength);
      if (frame.length < TAG_LENGTH) {
        throw new EnvelopeError('TRUNCATED', 'envelope is truncated: its final chunk is missing');
      }
      yield openChunk(dataKey, header, index, final, frame);
      if (final) return;
    }
  } finally {
    dataKey?.zero();
    await reader.close();
  }
}

function openChunk(
  dataKey: SecretBytes,
  header: EnvelopeHeader,
  index: number,
  final: boolean,
  frame: Buffer,
): Buffer {
  const body = frame.subarray(0, frame.length - TAG_LENGTH);
  const tag = frame.subarray(frame.length - TAG_LENGTH);
  try {
    return aesGcmDecrypt(
      dataKey.bytes,
      chunkNonce(header.nonceBase, index),
      body,
      tag,
      chunkAad(header, index, final),
    );
  } catch {
    throw new EnvelopeError(
      'CHUNK_AUTHENTICATION',
      `envelope chunk ${String(index)} failed authentication: the data was altered, ` +
        'reordered or cut short',
    );
  }
}
