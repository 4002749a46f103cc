/** Principals: POST/GET/PATCH/DELETE /api/v1/principals (docs/rest-api.md). */
import { z } from 'zod';
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
import { columns } from '../output.js';
import { integer, oneOf } from './args.js';

const Principal = z.looseObject({
  id: z.string(),
  kind: z.string(),
  policies: z.array(z.string()),
  disabled: z.boolean(),
  createdAt: z.string(),
});
const PrincipalDetail = Principal.extend({
  certificates: z.array(z.looseObject({ match: z.string(), value: z.string() })).optional(),
});
const PrincipalList = z.looseObject({
  principals: z.array(Principal),
  nextCursor: z.string().nullable(),
});

const principalPath = (id: string) => `/api/v1/principals/${encodeURIComponent(id)}`;
const list = (items: readonly string[]) => (items.length > 0 ? items.join(', ') : '-');

function describePrincipal(p: z.infer<typeof PrincipalDetail>): string {
  const certificates = (p.certificates ?? []).map((c) => `${c.match}=${c.value}`);
  return table([
    ['Principal', p.id],
    ['Kind', p.kind],
    ['Policies', list(p.policies)],
    ['Disabled', p.disabled],
    ['Created', p.createdAt],
    ...(p.certificates === undefined
      ? []
      : [['Certificates', list(certificates)] as [string, string]]),
  ]);
}

export const principalCreateCommand: Command = {
  name: ['principal', 'create'],
  summary: 'Create a principal (user or service)',
  usage: [
    'Usage: custos principal create ID [--kind user|service] [--policy NAME]... [--json]',
    '',
    'ID is e.g. user/alice or service/billing; --policy attaches a policy (repeatable).',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {
      kind: { type: 'string' },
      policy: { type: 'string', multiple: true },
    });
    const [id = ''] = positionals(given, ['ID']);
    const kind = oneOf('--kind', values.kind, ['user', 'service'] as const);
    const created = await clientFromEnv(io.env).request('POST', '/api/v1/principals', {
      body: {
        id,
        ...(kind !== undefined && { kind }),
        ...(values.policy !== undefined && { policies: values.policy }),
      },
      schema: Principal,
    });
    output(io, values.json, created, () => describePrincipal(created));
    return EXIT_OK;
  },
};

export const principalListCommand: Command = {
  name: ['principal', 'list'],
  summary: 'List principals',
  usage: 'Usage: custos principal list [--limit N] [--cursor C] [--json]',
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {
      limit: { type: 'string' },
      cursor: { type: 'string' },
    });
    positionals(given, []);
    const page = await clientFromEnv(io.env).request('GET', '/api/v1/principals', {
      query: { limit: integer('--limit', values.limit, 1, 1000), cursor: values.cursor },
      schema: PrincipalList,
    });
    output(io, values.json, page, () => {
      if (page.principals.length === 0) return 'No principals.';
      const rows = columns(
        ['PRINCIPAL', 'KIND', 'DISABLED', 'POLICIES'],
        page.principals.map((p) => [p.id, p.kind, p.disabled ? 'yes' : '', list(p.policies)]),
      );
      return page.nextCursor === null ? rows : `${rows}\n\nMore: --cursor ${page.nextCursor}`;
    });
    return EXIT_OK;
  },
};

export const principalDescribeCommand: Command = {
  name: ['principal', 'describe'],
  summary: 'Describe a principal and its certificate mappings',
  usage: 'Usage: custos principal describe ID [--json]',
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {});
    const [id = ''] = positionals(given, ['ID']);
    const principal = await clientFromEnv(io.env).request('GET', principalPath(id), {
      schema: PrincipalDetail,
    });
    output(io, values.json, principal, () => describePrincipal(principal));
    return EXIT_OK;
  },
};

export const principalUpdateCommand: Command = {
  name: ['principal', 'update'],
  summary: "Change a principal's kind, policies or disabled flag",
  usage: [
    'Usage: custos principal update ID [--kind user|service]',
    '                                  [--policy NAME... | --no-policies]',
    '                                  [--disable | --enable] [--json]',
    '',
    '--policy replaces the attached policies with those given (repeatable);',
    '--no-policies detaches them all. --disable stops the principal authenticating.',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {
      kind: { type: 'string' },
      policy: { type: 'string', multiple: true },
      'no-policies': { type: 'boolean', default: false },
      disable: { type: 'boolean', default: false },
      enable: { type: 'boolean', default: false },
    });
    const [id = ''] = positionals(given, ['ID']);
    const kind = oneOf('--kind', values.kind, ['user', 'service'] as const);
    if (values.policy !== undefined && values['no-policies']) {
      throw new UsageError('give --policy or --no-policies, not both');
    }
    if (values.disable && values.enable)
      throw new UsageError('give --disable or --enable, not both');
    const policies = values['no-policies'] ? [] : values.policy;
    const disabled = values.disable ? true : values.enable ? false : undefined;
    if (kind === undefined && policies === undefined && disabled === undefined) {
      throw new UsageError(
        'nothing to change: give --kind, --policy, --no-policies, --disable or --enable',
      );
    }
    const updated = await clientFromEnv(io.env).request('PATCH', principalPath(id), {
      body: {
        ...(kind !== undefined && { kind }),
        ...(policies !== undefined && { policies }),
        ...(disabled !== undefined && { disabled }),
      },
      schema: Principal,
    });
    output(io, values.json, updated, () => describePrincipal(updated));
    return EXIT_OK;
  },
};

export const principalDeleteCommand: Command = {
  name: ['principal', 'delete'],
  summary: 'Delete a principal with its tokens and certificate mappings',
  usage: 'Usage: custos principal delete ID [--json]',
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {});
    const [id = ''] = positionals(given, ['ID']);
    await clientFromEnv(io.env).request('DELETE', principalPath(id));
    output(io, values.json, { id, deleted: true }, () => `Principal ${id} deleted`);
    return EXIT_OK;
  },
};

export const PRINCIPAL_COMMANDS: readonly Command[] = [
  principalCreateCommand,
  principalListCommand,
  principalDescribeCommand,
  principalUpdateCommand,
  principalDeleteCommand,
];
