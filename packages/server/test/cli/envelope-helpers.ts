/** A local stand-in for the key service's data-key calls, and stream helpers for envelope tests. */
import { randomBytes } from 'node:crypto';
import {
  type EncryptionContext,
  SecretBytes,
  decryptCiphertext,
  encryptCiphertext,
  parseCiphertext,
} from '@custos/crypto';
import { InvalidCiphertextError, KmsError } from '../../src/core/errors.js';
import { decryptEnvelope } from '../../src/cli/envelope/decrypt-envelope.js';
import { encryptEnvelope, type NewDataKey } from '../../src/cli/envelope/encrypt-envelope.js';

const KEK = randomBytes(32);
const KEY_ID = '6f1c2a3e-4b5d-4c7e-8f90-a1b2c3d4e5f6';

/** Every data key handed out, so tests can check each was zeroed. */
export const issuedKeys: SecretBytes[] = [];

export async function newDataKey(context: EncryptionContext | undefined): Promise<NewDataKey> {
  await Promise.resolve();
  const dataKey = SecretBytes.random(32);
  issuedKeys.push(dataKey);
  const wrappedKey = encryptCiphertext(
    KEK,
    { keyId: KEY_ID, keyVersion: 1 },
    dataKey.bytes,
    context,
  );
  return { dataKey, wrappedKey };
}

/** As the server: any failure to unwrap is the uniform INVALID_CIPHERTEXT. */
export async function unwrapDataKey(
  wrapped: Buffer,
  context: EncryptionContext | undefined,
): Promise<SecretBytes> {
  await Promise.resolve();
  try {
    const key = SecretBytes.adopt(decryptCiphertext(KEK, parseCiphertext(wrapped), context));
    issuedKeys.push(key);
    return key;
  } catch {
    throw new InvalidCiphertextError();
  }
}

/** Yields `data` in pieces of the given sizes (cycled), as a stream would. */
export async function* pieces(data: Uint8Array, sizes: readonly number[] = [65536]) {
  let offset = 0;
  for (let i = 0; offset < data.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length] ?? 1);
    await Promise.resolve();
    yield Buffer.from(data.subarray(offset, offset + size));
    offset += size;
  }
}

export async function collect(source: AsyncIterable<Buffer>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const piece of source) out.push(piece);
  return Buffer.concat(out);
}

export interface SealOptions {
  readonly chunkSize: number;
  readonly context?: EncryptionContext;
  readonly pieceSizes?: readonly number[];
}

export function seal(data: Uint8Array, options: SealOptions): Promise<Buffer> {
  return collect(
    encryptEnvelope(pieces(data, options.pieceSizes), {
      chunkSize: options.chunkSize,
      newDataKey,
      ...(options.context !== undefined && { context: options.context }),
    }),
  );
}

export function open(
  envelope: Uint8Array,
  context?: EncryptionContext,
  pieceSizes?: readonly number[],
): Promise<Buffer> {
  return collect(
    decryptEnvelope(pieces(envelope, pieceSizes), {
      unwrapDataKey,
      ...(context !== undefined && { context }),
    }),
  );
}

/** 'OK' or the failure's error code and reason, for asserting on. */
export async function openOutcome(
  envelope: Uint8Array,
  context?: EncryptionContext,
): Promise<string> {
  try {
    await open(envelope, context);
    return 'OK';
  } catch (error) {
    if (!(error instanceof KmsError)) return `not a KmsError: ${String(error)}`;
    const reason = error.details.reason;
    return reason === undefined ? error.code : `${error.code}:${String(reason)}`;
  }
}
