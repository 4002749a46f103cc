import { KEY_SPEC_NAMES, KEY_USAGES } from '@custos/crypto';
import { clientFromEnv } from '../client.js';
import { EXIT_OK, output, parseCommandArgs, positionals, type Command } from '../command.js';
import { describeKey } from '../output.js';
import { aliasName, integer, keyValues, oneOf } from './args.js';
import { KeyView } from './views.js';

const ORIGINS = ['CUSTOS', 'EXTERNAL'] as const;

export const keyCreateCommand: Command = {
  name: ['key', 'create'],
  summary: 'Create a key',
  usage: [
    'Usage: custos key create [--spec SPEC] [--usage USAGE] [--description TEXT]',
    '                         [--tag k=v ...] [--alias NAME] [--exportable]',
    '                         [--rotation-period-days N] [--origin CUSTOS|EXTERNAL] [--json]',
    '',
    '  --spec SPEC     AES_256 (default), AES_128, CHACHA20_POLY1305, HMAC_256|384|512,',
    '                  ECC_NIST_P256|P384|P521, ED25519, RSA_2048|3072|4096',
    "  --usage USAGE   ENCRYPT_DECRYPT, SIGN_VERIFY or GENERATE_VERIFY_MAC (default: the spec's)",
    '  --alias NAME    also create alias/NAME for the key',
    '  --origin        EXTERNAL creates a key without material, to import later',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {
      spec: { type: 'string' },
      usage: { type: 'string' },
      description: { type: 'string' },
      tag: { type: 'string', multiple: true },
      alias: { type: 'string' },
      exportable: { type: 'boolean', default: false },
      'rotation-period-days': { type: 'string' },
      origin: { type: 'string' },
    });
    positionals(given, []);
    const key = await clientFromEnv(io.env).request('POST', '/api/v1/keys', {
      body: {
        spec: oneOf('--spec', values.spec, KEY_SPEC_NAMES),
        usage: oneOf('--usage', values.usage, KEY_USAGES),
        origin: oneOf('--origin', values.origin, ORIGINS),
        description: values.description,
        tags: keyValues('--tag', values.tag),
        alias: values.alias === undefined ? undefined : aliasName(values.alias),
        exportable: values.exportable || undefined,
        rotationPeriodDays: integer(
          '--rotation-period-days',
          values['rotation-period-days'],
          1,
          36500,
        ),
      },
      schema: KeyView,
    });
    output(io, values.json, key, () => describeKey(key));
    return EXIT_OK;
  },
};
