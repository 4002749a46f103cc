import { clientFromEnv } from '../client.js';
import { EXIT_OK, output, parseCommandArgs, positionals, type Command } from '../command.js';
import { keyPath, required } from './args.js';
import { readMessage, signingAlgorithm } from './message.js';
import { SignResult } from './views.js';

export const signCommand: Command = {
  name: ['sign'],
  summary: 'Sign stdin or a file with an asymmetric key; prints the base64 signature',
  usage: [
    'Usage: custos sign --key KEY --algorithm ALG [--digest] [--in FILE] [--json]',
    '',
    'Signs the message read from stdin (or --in) and prints the signature in base64.',
    'Messages over 4 KiB are hashed here and the digest is signed (not for Ed25519).',
    '',
    '  --algorithm ALG  e.g. ECDSA_SHA_256, RSASSA_PSS_SHA_256, ED25519_SHA_512',
    '  --digest         the input is already the digest of the message',
    '  --json           print {signature, keyId, keyVersion, algorithm}',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {
      key: { type: 'string' },
      algorithm: { type: 'string' },
      digest: { type: 'boolean', default: false },
      in: { type: 'string' },
    });
    positionals(given, []);
    const key = required('--key', values.key);
    const algorithm = signingAlgorithm(values.algorithm);
    const { message, messageType } = await readMessage(io, values.in, algorithm, values.digest);
    const result = await clientFromEnv(io.env).request('POST', keyPath(key, '/sign'), {
      body: { message: message.toString('base64'), messageType, algorithm },
      schema: SignResult,
    });
    output(io, values.json, result, () => result.signature);
    return EXIT_OK;
  },
};
