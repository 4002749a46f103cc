import { CryptoError, type EncryptionContext } from '@custos/crypto';
import { InvalidInputError, KmsError, UnsupportedError } from '../core/errors.js';

/** Input checks shared by operations; each failure is InvalidInput naming the field. */
export function checkBytes(field: string, value: Uint8Array, min: number, max: number): void {
  if (!(value instanceof Uint8Array)) throw new InvalidInputError(`${field} must be bytes`);
  if (value.length < min || value.length > max) {
    throw new InvalidInputError(`${field} must be ${String(min)} to ${String(max)} bytes long`, {
      details: { field, min, max },
    });
  }
}

export function checkInteger(field: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidInputError(
      `${field} must be an integer from ${String(min)} to ${String(max)}`,
      {
        details: { field, min, max },
      },
    );
  }
}

export function checkOneOf<T extends string>(
  field: string,
  value: string,
  allowed: readonly T[],
): asserts value is T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InvalidInputError(`${field} must be one of ${allowed.join(', ')}`, {
      details: { field },
    });
  }
}

/**
 * A map of strings (e.g. a key's attributes). Checked before a write: the
 * store refuses to read back a record that breaks its types.
 */
export function checkStringMap(
  field: string,
  value: unknown,
): asserts value is Readonly<Record<string, string>> {
  if (
    value === null ||
    typeof value !== 'object' ||
    Array.isArray(value) ||
    !Object.values(value).every((v) => typeof v === 'string')
  ) {
    throw new InvalidInputError(`${field} must be a map of strings`, { details: { field } });
  }
}

const MAX_CONTEXT_BYTES = 8192;

/**
 * An encryption context: string → string, at most 8 KiB in all (as AWS KMS).
 * Takes `unknown`: front-ends hand over whatever their callers sent.
 */
export function checkContext(context: unknown): asserts context is EncryptionContext | undefined {
  if (context === undefined) return;
  if (context === null || typeof context !== 'object' || Array.isArray(context)) {
    throw new InvalidInputError('encryption context must be a map of strings');
  }
  let size = 0;
  for (const [k, v] of Object.entries(context)) {
    if (typeof v !== 'string' || k.length === 0) {
      throw new InvalidInputError('encryption context keys must be non-empty and values strings');
    }
    size += Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  if (size > MAX_CONTEXT_BYTES) {
    throw new InvalidInputError(
      `encryption context must be at most ${String(MAX_CONTEXT_BYTES)} bytes`,
    );
  }
}

/** Runs crypto code, turning its typed errors into the service's. */
export function mapCryptoError(error: unknown): never {
  if (error instanceof KmsError) throw error;
  if (error instanceof CryptoError) {
    if (error.code === 'INVALID_INPUT' || error.code === 'INVALID_KEY') {
      throw new InvalidInputError(error.message);
    }
    if (error.code === 'UNSUPPORTED') throw new UnsupportedError(error.message);
  }
  throw error;
}
