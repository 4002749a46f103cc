import { isKmsError } from '../../core/errors.js';
import { CliError } from '../command.js';

/**
 * The envelope codec speaks KmsError (its stable codes are the server's); the
 * dispatcher reports CliError. This keeps the code, so a tampered envelope
 * exits 1 with INVALID_CIPHERTEXT just as a tampered v1 ciphertext does.
 */
export function asCliError(error: unknown): unknown {
  return isKmsError(error) ? new CliError(error.code, error.message) : error;
}

/** Runs `work`, reporting KmsErrors as CliErrors with the same code. */
export async function withCliErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asCliError(error);
  }
}
