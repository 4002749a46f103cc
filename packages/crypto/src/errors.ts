/** Stable codes for failures raised by @custos/crypto. */
export type CryptoErrorCode =
  'INVALID_CIPHERTEXT' | 'INVALID_KEY' | 'INVALID_INPUT' | 'UNSUPPORTED' | 'ZEROIZED';

/**
 * A failure in a cryptographic operation. Messages never carry key material or
 * plaintext; decryption failures are deliberately uniform.
 */
export class CryptoError extends Error {
  override readonly name = 'CryptoError';
  constructor(
    readonly code: CryptoErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The single message for every decryption failure, whatever went wrong. */
export const DECRYPTION_FAILED = 'decryption failed';

export function invalidCiphertext(): CryptoError {
  return new CryptoError('INVALID_CIPHERTEXT', DECRYPTION_FAILED);
}
