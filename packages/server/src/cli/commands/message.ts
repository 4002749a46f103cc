/** The message `custos sign` and `custos verify` send: raw, or a digest made here when large. */
import { createHash } from 'node:crypto';
import {
  SIGNING_ALGORITHMS,
  type SigningAlgorithm,
  nodeHashName,
  signingHash,
} from '@custos/crypto';
import { CliError, type CliIo } from '../command.js';
import { ByteReader } from '../envelope/byte-reader.js';
import { oneOf, required } from './args.js';
import { openInput } from './files.js';

/** The most the server signs as a raw message (as AWS KMS). */
export const MAX_RAW_MESSAGE = 4096;

export interface Message {
  readonly message: Buffer;
  readonly messageType: 'RAW' | 'DIGEST';
}

export function signingAlgorithm(text: string | undefined): SigningAlgorithm {
  return required('--algorithm', oneOf('--algorithm', text, SIGNING_ALGORITHMS));
}

/**
 * Reads the message from `--in` or stdin. With `digest`, the input is a
 * precomputed digest. Otherwise up to 4 KiB is sent raw; a larger input is
 * hashed here with the algorithm's hash and sent as a digest, which gives the
 * same signature (ECDSA and RSA sign the hash either way). Ed25519 signs the
 * message itself, so it is limited to 4 KiB.
 */
export async function readMessage(
  io: CliIo,
  path: string | undefined,
  algorithm: SigningAlgorithm,
  digest: boolean,
): Promise<Message> {
  const input = await openInput(io, path);
  const reader = new ByteReader(input.source);
  const head = await reader.read(MAX_RAW_MESSAGE + 1);
  if (digest || head.length <= MAX_RAW_MESSAGE) {
    if (head.length > MAX_RAW_MESSAGE)
      throw new CliError('INVALID_INPUT', 'a digest is at most 4096 bytes');
    return { message: head, messageType: digest ? 'DIGEST' : 'RAW' };
  }
  if (algorithm === 'ED25519_SHA_512') {
    await reader.close();
    throw new CliError(
      'INVALID_INPUT',
      `ED25519_SHA_512 signs messages of at most ${String(MAX_RAW_MESSAGE)} bytes`,
    );
  }
  const hash = createHash(nodeHashName(signingHash(algorithm)));
  hash.update(head);
  for await (const piece of reader) hash.update(piece);
  return { message: hash.digest(), messageType: 'DIGEST' };
}
