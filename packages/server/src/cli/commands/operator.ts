import { clientFromEnv } from '../client.js';
import { EXIT_OK, output, parseCommandArgs, positionals, type Command } from '../command.js';
import { readSecret } from '../secret-input.js';
import { describeStatus, SealStatusView } from './status.js';

export const unsealCommand: Command = {
  name: ['operator', 'unseal'],
  summary: 'Unseal the server with the passphrase',
  usage: [
    'Usage: custos operator unseal [--passphrase-file FILE] [--json]',
    '',
    'Sends the passphrase to POST /api/v1/sys/unseal at CUSTOS_ADDR. It is read',
    'from a no-echo prompt, or from --passphrase-file (- for stdin); never argv.',
    'Does nothing (and asks nothing) when the server is already unsealed.',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {
      'passphrase-file': { type: 'string' },
    });
    positionals(given, []);
    const client = clientFromEnv(io.env);
    let status = await client.request('GET', '/api/v1/sys/status', { schema: SealStatusView });
    if (status.sealed) {
      const passphrase = await readSecret(io, {
        file: values['passphrase-file'],
        prompt: 'Passphrase: ',
        flag: '--passphrase-file',
      });
      status = await client.request('POST', '/api/v1/sys/unseal', {
        body: { passphrase },
        schema: SealStatusView,
      });
    }
    output(io, values.json, status, () => describeStatus(status));
    return EXIT_OK;
  },
};

export const sealCommand: Command = {
  name: ['operator', 'seal'],
  summary: 'Seal the server (root token only)',
  usage: [
    'Usage: custos operator seal [--json]',
    '',
    'POST /api/v1/sys/seal: the server forgets its domain key and every cached',
    'key; key operations answer SEALED until it is unsealed. Needs the root token',
    'in CUSTOS_TOKEN.',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {});
    positionals(given, []);
    const status = await clientFromEnv(io.env).request('POST', '/api/v1/sys/seal', {
      schema: SealStatusView,
    });
    output(io, values.json, status, () => describeStatus(status));
    return EXIT_OK;
  },
};
