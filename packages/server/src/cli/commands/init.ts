import {
  EXIT_OK,
  EXIT_USAGE,
  output,
  parseCommandArgs,
  positionals,
  type Command,
} from '../command.js';
import { readSecret } from '../secret-input.js';
import { CONFIG_OPTIONS, CONFIG_USAGE, configFromFlags } from './config-flags.js';

export const initCommand: Command = {
  name: ['init'],
  summary: 'Initialise a data directory with the configured seal',
  usage: [
    'Usage: custos init [options] [--passphrase-file FILE] [--json]',
    '',
    'Creates the domain key under the configured seal and prints the root',
    'token (once). For the passphrase seal the passphrase is asked twice on the',
    'terminal, or read from --passphrase-file (- for stdin); never from argv.',
    'The dev-file seal needs no init: the first `custos server` does it.',
    '',
    'Options:',
    CONFIG_USAGE,
    '  --passphrase-file FILE  read the passphrase from FILE',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {
      ...CONFIG_OPTIONS,
      'passphrase-file': { type: 'string' },
    });
    positionals(given, []);
    const config = await configFromFlags(values, io);
    if (config === undefined) return EXIT_USAGE;
    const passphrase =
      config.seal.type === 'passphrase'
        ? await readSecret(io, {
            file: values['passphrase-file'],
            prompt: 'New passphrase: ',
            confirm: true,
            flag: '--passphrase-file',
          })
        : undefined;
    const { initApp } = await import('../../app.js');
    const { rootToken } = await initApp(config, passphrase);
    const result = { initialized: true, sealType: config.seal.type, rootToken };
    output(io, values.json, result, () =>
      [
        `Initialised ${config.dataDir} with the ${config.seal.type} seal.`,
        `Root token: ${rootToken}`,
        'Store it safely: it is not shown again.',
      ].join('\n'),
    );
    return EXIT_OK;
  },
};
