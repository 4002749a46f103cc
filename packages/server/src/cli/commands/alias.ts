/** Aliases: `alias/NAME` → key id (POST/PUT/DELETE /aliases, GET /aliases). */
import { clientFromEnv } from '../client.js';
import { EXIT_OK, output, parseCommandArgs, positionals, type Command } from '../command.js';
import { describeAliasList } from '../output.js';
import { aliasName, integer } from './args.js';
import { AliasList } from './views.js';

const aliasPath = (name: string) => `/api/v1/aliases/${encodeURIComponent(aliasName(name))}`;

export const aliasCreateCommand: Command = {
  name: ['alias', 'create'],
  summary: 'Create an alias for a key',
  usage: 'Usage: custos alias create NAME KEY [--json]\n\nNAME is alias/NAME or NAME.',
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {});
    const [name = '', keyId = ''] = positionals(given, ['NAME', 'KEY']);
    const alias = aliasName(name);
    await clientFromEnv(io.env).request('POST', '/api/v1/aliases', { body: { alias, keyId } });
    output(io, values.json, { alias, keyId }, () => `Alias ${alias} → ${keyId}`);
    return EXIT_OK;
  },
};

export const aliasUpdateCommand: Command = {
  name: ['alias', 'update'],
  summary: 'Point an alias at another key',
  usage: 'Usage: custos alias update NAME KEY [--json]',
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {});
    const [name = '', keyId = ''] = positionals(given, ['NAME', 'KEY']);
    await clientFromEnv(io.env).request('PUT', aliasPath(name), { body: { keyId } });
    const alias = aliasName(name);
    output(io, values.json, { alias, keyId }, () => `Alias ${alias} → ${keyId}`);
    return EXIT_OK;
  },
};

export const aliasDeleteCommand: Command = {
  name: ['alias', 'delete'],
  summary: 'Delete an alias (the key stays)',
  usage: 'Usage: custos alias delete NAME [--json]',
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {});
    const [name = ''] = positionals(given, ['NAME']);
    await clientFromEnv(io.env).request('DELETE', aliasPath(name));
    const alias = aliasName(name);
    output(io, values.json, { alias, deleted: true }, () => `Alias ${alias} deleted`);
    return EXIT_OK;
  },
};

export const aliasListCommand: Command = {
  name: ['alias', 'list'],
  summary: 'List aliases (of one key with --key)',
  usage: 'Usage: custos alias list [--key KEY] [--limit N] [--cursor C] [--json]',
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {
      key: { type: 'string' },
      limit: { type: 'string' },
      cursor: { type: 'string' },
    });
    positionals(given, []);
    const list = await clientFromEnv(io.env).request('GET', '/api/v1/aliases', {
      query: {
        keyId: values.key,
        limit: integer('--limit', values.limit, 1, 1000),
        cursor: values.cursor,
      },
      schema: AliasList,
    });
    output(io, values.json, list, () => describeAliasList(list));
    return EXIT_OK;
  },
};
