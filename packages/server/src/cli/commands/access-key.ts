/** Access keys for the AWS KMS door (POST/GET/DELETE /api/v1/access-keys). */
import { z } from 'zod';
import { clientFromEnv } from '../client.js';
import { EXIT_OK, output, parseCommandArgs, positionals, type Command } from '../command.js';

const Created = z.object({ accessKeyId: z.string(), secretAccessKey: z.string() });
const Listed = z.object({
  accessKeys: z.array(
    z.object({ accessKeyId: z.string(), principal: z.string(), createdAt: z.string() }),
  ),
});

export const accessKeyCreateCommand: Command = {
  name: ['access-key', 'create'],
  summary: 'Create an AWS access key (SigV4) for the AWS KMS door; the secret is shown once',
  usage: [
    'Usage: custos access-key create [--principal P] [--json]',
    '',
    'Without --principal the key belongs to the caller.',
    '--json prints exactly {"accessKeyId": "...", "secretAccessKey": "..."}.',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {
      principal: { type: 'string' },
    });
    positionals(given, []);
    const created = await clientFromEnv(io.env).request('POST', '/api/v1/access-keys', {
      body: values.principal === undefined ? {} : { principal: values.principal },
      schema: Created,
    });
    const shown = { accessKeyId: created.accessKeyId, secretAccessKey: created.secretAccessKey };
    output(io, values.json, shown, () =>
      [
        `AWS_ACCESS_KEY_ID=${shown.accessKeyId}`,
        `AWS_SECRET_ACCESS_KEY=${shown.secretAccessKey}`,
        '(the secret is not shown again)',
      ].join('\n'),
    );
    return EXIT_OK;
  },
};

export const accessKeyListCommand: Command = {
  name: ['access-key', 'list'],
  summary: 'List access keys (never their secrets), all or one principal’s',
  usage: 'Usage: custos access-key list [--principal P] [--json]',
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {
      principal: { type: 'string' },
    });
    positionals(given, []);
    const list = await clientFromEnv(io.env).request('GET', '/api/v1/access-keys', {
      query: { principal: values.principal },
      schema: Listed,
    });
    output(io, values.json, list, () =>
      list.accessKeys.length === 0
        ? 'No access keys'
        : list.accessKeys
            .map((key) => `${key.accessKeyId}  ${key.principal}  ${key.createdAt}`)
            .join('\n'),
    );
    return EXIT_OK;
  },
};

export const accessKeyDeleteCommand: Command = {
  name: ['access-key', 'delete'],
  summary: 'Delete an access key; requests signed with it fail from now on',
  usage: 'Usage: custos access-key delete ACCESS_KEY_ID [--json]',
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {});
    const [id = ''] = positionals(given, ['ACCESS_KEY_ID']);
    await clientFromEnv(io.env).request('DELETE', `/api/v1/access-keys/${encodeURIComponent(id)}`);
    output(io, values.json, { accessKeyId: id, deleted: true }, () => `Access key ${id} deleted`);
    return EXIT_OK;
  },
};

export const ACCESS_KEY_COMMANDS: readonly Command[] = [
  accessKeyCreateCommand,
  accessKeyListCommand,
  accessKeyDeleteCommand,
];
