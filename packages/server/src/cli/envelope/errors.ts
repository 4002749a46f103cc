import { KmsError } from '../../core/errors.js';

/** Why an envelope was refused; stable, so tests and scripts can tell the cases apart. */
export type EnvelopeFailure =
  | 'NOT_AN_ENVELOPE'
  | 'UNSUPPORTED_VERSION'
  | 'MALFORMED_HEADER'
  | 'CONTEXT_MISMATCH'
  | 'TRUNCATED'
  | 'CHUNK_AUTHENTICATION'
  | 'TOO_MANY_CHUNKS';

/**
 * A CLI envelope that cannot be opened. The code is always INVALID_CIPHERTEXT
 * (as for every decryption failure); the reason says what was wrong. Unlike the
 * server, the CLI may say why: it already holds the data key, so the message
 * is no oracle for anyone but the holder. Messages never carry key or data bytes.
 */
export class EnvelopeError extends KmsError {
  override readonly name = 'EnvelopeError';

  constructor(
    readonly reason: EnvelopeFailure,
    message: string,
  ) {
    super('INVALID_CIPHERTEXT', message, { details: { reason } });
  }
}
