/** Tokens: POST/GET/DELETE /api/v1/tokens and GET /api/v1/tokens/self (docs/rest-api.md). */
import { z } from 'zod';
import { clientFromEnv } from '../client.js';
import {
  EXIT_OK,
  output,
  parseCommandArgs,
  positionals,
  table,
  UsageError,
  type Command,
} from '../command.js';
import { columns } from '../output.js';
import { integer, required } from './args.js';

const Created = z.looseObject({
  token: z.string(),
  accessor: z.string(),
  principal: z.string(),
  policies: z.array(z.string()),
  expiresAt: z.string().nullable(),
});
const Token = z.looseObject({
  accessor: z.string(),
  principal: z.string(),
  policies: z.array(z.string()),
  displayName: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});
const TokenList = z.looseObject({ tokens: z.array(Token), nextCursor: z.string().nullable() });
const Self = z.looseObject({
  id: z.string(),
  kind: z.string(),
  policies: z.array(z.string()),
  credential: z.looseObject({ type: z.string(), expiresAt: z.string().nullable() }).nullable(),
  token: Token.nullable(),
});

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** `--ttl`: 30s, 15m, 1h, 7d (or plain seconds) → seconds. */
export function ttlSeconds(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d{1,9})([smhd]?)$/.exec(text.trim());
  const amount = Number(match?.[1] ?? 0);
  if (match === null || amount === 0) {
    throw new UsageError(`--ttl must be a duration such as 30s, 15m, 1h or 7d, not '${text}'`);
  }
  const unit = (match[2] === '' ? 's' : match[2]) as keyof typeof UNIT_SECONDS;
  return amount * UNIT_SECONDS[unit];
}

const list = (items: readonly string[]) => (items.length > 0 ? items.join(', ') : '-');

export const tokenCreateCommand: Command = {
  name: ['token', 'create'],
  summary: 'Issue a token for a principal; the secret is shown once',
  usage: [
    'Usage: custos token create --principal P [--policy NAME]... [--ttl 1h] [--display-name N] [--json]',
    '',
    '--ttl takes 30s, 15m, 1h, 7d. Without --policy the token acts with its principal’s policies.',
    'Prints the token secret only (it is not shown again); --json prints the full response.',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {
      principal: { type: 'string' },
      policy: { type: 'string', multiple: true },
      ttl: { type: 'string' },
      'display-name': { type: 'string' },
    });
    positionals(given, []);
    const principal = required('--principal', values.principal);
    const ttl = ttlSeconds(values.ttl);
    const displayName = values['display-name'];
    const created = await clientFromEnv(io.env).request('POST', '/api/v1/tokens', {
      body: {
        principal,
        ...(values.policy !== undefined && { policies: values.policy }),
        ...(ttl !== undefined && { ttl }),
        ...(displayName !== undefined && { displayName }),
      },
      schema: Created,
    });
    output(io, values.json, created, () => created.token);
    return EXIT_OK;
  },
};

export const tokenListCommand: Command = {
  name: ['token', 'list'],
  summary: 'List tokens (never their secrets), all or one principal’s',
  usage: 'Usage: custos token list [--principal P] [--limit N] [--cursor C] [--json]',
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {
      principal: { type: 'string' },
      limit: { type: 'string' },
      cursor: { type: 'string' },
    });
    positionals(given, []);
    const page = await clientFromEnv(io.env).request('GET', '/api/v1/tokens', {
      query: {
        principal: values.principal,
        limit: integer('--limit', values.limit, 1, 1000),
        cursor: values.cursor,
      },
      schema: TokenList,
    });
    output(io, values.json, page, () => {
      if (page.tokens.length === 0) return 'No tokens.';
      const rows = columns(
        ['ACCESSOR', 'PRINCIPAL', 'EXPIRES', 'REVOKED', 'POLICIES', 'NAME'],
        page.tokens.map((t) => [
          t.accessor,
          t.principal,
          t.expiresAt ?? 'never',
          t.revokedAt ?? '-',
          list(t.policies),
          t.displayName,
        ]),
      );
      return page.nextCursor === null ? rows : `${rows}\n\nMore: --cursor ${page.nextCursor}`;
    });
    return EXIT_OK;
  },
};

export const tokenRevokeCommand: Command = {
  name: ['token', 'revoke'],
  summary: 'Revoke a token by its accessor',
  usage: 'Usage: custos token revoke ACCESSOR [--json]',
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {});
    const [accessor = ''] = positionals(given, ['ACCESSOR']);
    await clientFromEnv(io.env).request('DELETE', `/api/v1/tokens/${encodeURIComponent(accessor)}`);
    output(io, values.json, { accessor, revoked: true }, () => `Token ${accessor} revoked`);
    return EXIT_OK;
  },
};

export const tokenLookupSelfCommand: Command = {
  name: ['token', 'lookup-self'],
  summary: 'Show who CUSTOS_TOKEN is, and the token itself',
  usage: 'Usage: custos token lookup-self [--json]',
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {});
    positionals(given, []);
    const self = await clientFromEnv(io.env).request('GET', '/api/v1/tokens/self', {
      schema: Self,
    });
    output(io, values.json, self, () =>
      table([
        ['Principal', self.id],
        ['Kind', self.kind],
        ['Policies', list(self.policies)],
        ['Credential', self.credential?.type ?? '-'],
        ['Expires', self.credential === null ? '-' : (self.credential.expiresAt ?? 'never')],
        ['Accessor', self.token?.accessor ?? '-'],
        ['Display name', self.token?.displayName ?? '-'],
      ]),
    );
    return EXIT_OK;
  },
};

export const TOKEN_COMMANDS: readonly Command[] = [
  tokenCreateCommand,
  tokenListCommand,
  tokenRevokeCommand,
  tokenLookupSelfCommand,
];
