import { clientFromEnv } from '../client.js';
import { EXIT_OK, output, parseCommandArgs, positionals, type Command } from '../command.js';
import { describeKey } from '../output.js';
import { keyPath } from './args.js';
import { KeyView } from './views.js';

export const keyDescribeCommand: Command = {
  name: ['key', 'describe'],
  summary: 'Show a key, its versions and when it was last used',
  usage: 'Usage: custos key describe KEY [--json]\n\nKEY is a key id or alias/NAME.',
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {});
    const [key = ''] = positionals(given, ['KEY']);
    const view = await clientFromEnv(io.env).request('GET', keyPath(key), { schema: KeyView });
    output(io, values.json, view, () => describeKey(view));
    return EXIT_OK;
  },
};
