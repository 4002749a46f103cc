import { clientFromEnv } from '../client.js';
import {
  EXIT_OK,
  UsageError,
  output,
  parseCommandArgs,
  positionals,
  table,
  type Command,
} from '../command.js';
import { integer, keyPath, keyValues, oneOf, required } from './args.js';
import { DataKeyResult } from './views.js';

const DATA_KEY_SPECS = ['AES_256', 'AES_128'] as const;

export const dataKeyCommand: Command = {
  name: ['data-key'],
  summary: 'Generate a data key: plaintext and a copy encrypted under a key (base64)',
  usage: [
    'Usage: custos data-key --key KEY [--spec AES_256|AES_128 | --bytes N]',
    '                       [--context k=v ...] [--no-plaintext] [--json]',
    '',
    'Asks the server for a fresh random data key and prints it in base64 with its',
    'encrypted copy (a v1 ciphertext that `custos decrypt` opens). The plaintext key',
    'goes to stdout: redirect it somewhere safe, or use --no-plaintext.',
    '',
    '  --spec SPEC      AES_256 (default) or AES_128',
    '  --bytes N        a key of N bytes (1-1024) instead of a spec',
    '  --no-plaintext   return only the encrypted copy',
    '  --json           print {plaintext?, ciphertext, keyId, keyVersion}',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {
      key: { type: 'string' },
      spec: { type: 'string' },
      bytes: { type: 'string' },
      context: { type: 'string', multiple: true },
      'no-plaintext': { type: 'boolean', default: false },
    });
    positionals(given, []);
    const key = required('--key', values.key);
    if (values.spec !== undefined && values.bytes !== undefined) {
      throw new UsageError('give --spec or --bytes, not both');
    }
    const numberOfBytes = integer('--bytes', values.bytes, 1, 1024);
    const keySpec =
      numberOfBytes === undefined
        ? (oneOf('--spec', values.spec, DATA_KEY_SPECS) ?? 'AES_256')
        : undefined;
    const result = await clientFromEnv(io.env).request('POST', keyPath(key, '/data-key'), {
      body: {
        keySpec,
        numberOfBytes,
        encryptionContext: keyValues('--context', values.context),
        withPlaintext: !values['no-plaintext'],
      },
      schema: DataKeyResult,
    });
    output(io, values.json, result, () =>
      table([
        ['Key ID', result.keyId],
        ['Key version', result.keyVersion],
        ...(result.plaintext === undefined ? [] : [['Plaintext', result.plaintext] as const]),
        ['Ciphertext', result.ciphertext],
      ]),
    );
    return EXIT_OK;
  },
};
