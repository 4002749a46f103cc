import { clientFromEnv } from '../client.js';
import { EXIT_OK, output, parseCommandArgs, positionals, type Command } from '../command.js';
import { integer, required } from './args.js';
import { RandomResult } from './views.js';

export const randomCommand: Command = {
  name: ['random'],
  summary: "Print N random bytes from the server's CSPRNG, in base64",
  usage: [
    'Usage: custos random N [--json]',
    '',
    'N is 1-1024. Prints the bytes in base64 (--json: {"random": "<base64>"}).',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {});
    const [count] = positionals(given, ['N']);
    const numberOfBytes = required('N', integer('N', count, 1, 1024));
    const result = await clientFromEnv(io.env).request('POST', '/api/v1/random', {
      body: { numberOfBytes },
      schema: RandomResult,
    });
    output(io, values.json, result, () => result.random);
    return EXIT_OK;
  },
};
