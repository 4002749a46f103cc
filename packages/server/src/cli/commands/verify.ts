import { readFile } from 'node:fs/promises';
import { clientFromEnv } from '../client.js';
import {
  CliError,
  EXIT_FAILED,
  EXIT_OK,
  UsageError,
  output,
  parseCommandArgs,
  positionals,
  type Command,
} from '../command.js';
import { keyPath, required } from './args.js';
import { readMessage, signingAlgorithm } from './message.js';
import { VerifyResult } from './views.js';

const BASE64_TEXT = /^[A-Za-z0-9+/=\s]+$/;

/**
 * The signature from `--signature` (base64) or `--signature-file` (base64 text
 * as `custos sign` prints it, or the raw bytes).
 */
async function signatureBytes(inline: string | undefined, file: string | undefined) {
  if ((inline === undefined) === (file === undefined)) {
    throw new UsageError('give exactly one of --signature and --signature-file');
  }
  if (inline !== undefined) {
    if (!BASE64_TEXT.test(inline)) throw new UsageError('--signature must be base64');
    return Buffer.from(inline, 'base64');
  }
  let raw: Buffer;
  try {
    raw = await readFile(required('--signature-file', file));
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'error';
    throw new CliError('INVALID_INPUT', `cannot read ${file ?? ''}: ${code}`);
  }
  const text = raw.toString('latin1');
  return BASE64_TEXT.test(text) ? Buffer.from(text.replace(/\s+/g, ''), 'base64') : raw;
}

export const verifyCommand: Command = {
  name: ['verify'],
  summary: 'Verify a signature over stdin or a file (exit 1 when it is not valid)',
  usage: [
    'Usage: custos verify --key KEY --algorithm ALG',
    '                     (--signature BASE64 | --signature-file FILE)',
    '                     [--digest] [--in FILE] [--json]',
    '',
    'Checks the signature over the message read from stdin (or --in) against every',
    'version of the key still in service. Exit 0 when valid, 1 when not.',
    '',
    '  --signature-file FILE  base64 text (as `custos sign` prints) or raw bytes',
    '  --digest               the input is already the digest of the message',
    '  --json                 print {valid, keyId, keyVersion, algorithm}',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {
      key: { type: 'string' },
      algorithm: { type: 'string' },
      signature: { type: 'string' },
      'signature-file': { type: 'string' },
      digest: { type: 'boolean', default: false },
      in: { type: 'string' },
    });
    positionals(given, []);
    const key = required('--key', values.key);
    const algorithm = signingAlgorithm(values.algorithm);
    const signature = await signatureBytes(values.signature, values['signature-file']);
    if (signature.length === 0) throw new UsageError('the signature is empty');
    const { message, messageType } = await readMessage(io, values.in, algorithm, values.digest);
    const result = await clientFromEnv(io.env).request('POST', keyPath(key, '/verify'), {
      body: {
        message: message.toString('base64'),
        messageType,
        signature: signature.toString('base64'),
        algorithm,
      },
      schema: VerifyResult,
    });
    output(io, values.json, result, () =>
      result.valid
        ? `Signature is valid (key ${result.keyId}, version ${String(result.keyVersion)})`
        : `Signature is NOT valid for key ${result.keyId}`,
    );
    return result.valid ? EXIT_OK : EXIT_FAILED;
  },
};
