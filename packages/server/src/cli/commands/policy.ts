/** Policies: PUT/GET/DELETE /api/v1/policies/{name}, GET /api/v1/policies (docs/rest-api.md). */
import { z } from 'zod';
import { clientFromEnv, CustosClient, DEFAULT_ADDR } from '../client.js';
import {
  CliError,
  EXIT_OK,
  output,
  parseCommandArgs,
  positionals,
  type CliIo,
  type Command,
} from '../command.js';
import { columns } from '../output.js';
import { integer } from './args.js';
import { collect, openInput } from './files.js';

const Policy = z.looseObject({
  name: z.string(),
  document: z.unknown(),
  rowVersion: z.number().int(),
  updatedAt: z.string(),
});
const PolicyList = z.looseObject({
  policies: z.array(
    z.looseObject({ name: z.string(), rowVersion: z.number().int(), updatedAt: z.string() }),
  ),
  nextCursor: z.string().nullable(),
});

const policyPath = (name: string) => `/api/v1/policies/${encodeURIComponent(name)}`;

/**
 * A client like clientFromEnv's that sends `If-Match: "N"` when `--if-match N`
 * is given (the client itself sends no custom headers).
 */
function clientWithIfMatch(io: CliIo, rowVersion: number | undefined): CustosClient {
  if (rowVersion === undefined) return clientFromEnv(io.env);
  const token = io.env.CUSTOS_TOKEN?.trim();
  const addr = io.env.CUSTOS_ADDR?.trim();
  return new CustosClient({
    addr: addr === undefined || addr === '' ? DEFAULT_ADDR : addr,
    ...(token !== undefined && token !== '' && { token }),
    fetch: (input, init) => {
      const headers = new Headers(init?.headers);
      headers.set('if-match', `"${String(rowVersion)}"`);
      return fetch(input, { ...init, headers });
    },
  });
}

const ifMatchOption = { 'if-match': { type: 'string' } } as const;
const rowVersionOf = (text: string | undefined) =>
  integer('--if-match', text?.replace(/^(?:W\/)?"?|"$/g, ''), 0, Number.MAX_SAFE_INTEGER);

export const policyPutCommand: Command = {
  name: ['policy', 'put'],
  summary: 'Create or replace a policy from a JSON document',
  usage: [
    'Usage: custos policy put NAME [--file F] [--if-match VERSION] [--json]',
    '',
    'The document (docs/policies.md) is read from --file, or stdin without it (or with -).',
    '--if-match refuses the write unless the policy is still at that row version.',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {
      file: { type: 'string' },
      ...ifMatchOption,
    });
    const [name = ''] = positionals(given, ['NAME']);
    const rowVersion = rowVersionOf(values['if-match']);
    const input = await openInput(io, values.file);
    const text = (await collect(input.source)).toString('utf8');
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new CliError('INVALID_INPUT', `the policy document is not JSON: ${reason}`);
    }
    const put = await clientWithIfMatch(io, rowVersion).request('PUT', policyPath(name), {
      body: document,
      schema: Policy.extend({ created: z.boolean() }),
    });
    output(
      io,
      values.json,
      put,
      () => `Policy ${put.name} ${put.created ? 'created' : 'updated'} (version ${put.rowVersion})`,
    );
    return EXIT_OK;
  },
};

export const policyGetCommand: Command = {
  name: ['policy', 'get'],
  summary: 'Print a policy document',
  usage: [
    'Usage: custos policy get NAME [--json]',
    '',
    'Prints the document itself (ready for policy put --file); --json adds name, rowVersion, updatedAt.',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {});
    const [name = ''] = positionals(given, ['NAME']);
    const policy = await clientFromEnv(io.env).request('GET', policyPath(name), {
      schema: Policy,
    });
    output(io, values.json, policy, () => JSON.stringify(policy.document, null, 2));
    return EXIT_OK;
  },
};

export const policyListCommand: Command = {
  name: ['policy', 'list'],
  summary: 'List policies',
  usage: 'Usage: custos policy list [--limit N] [--cursor C] [--json]',
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, {
      limit: { type: 'string' },
      cursor: { type: 'string' },
    });
    positionals(given, []);
    const page = await clientFromEnv(io.env).request('GET', '/api/v1/policies', {
      query: { limit: integer('--limit', values.limit, 1, 1000), cursor: values.cursor },
      schema: PolicyList,
    });
    output(io, values.json, page, () => {
      if (page.policies.length === 0) return 'No policies.';
      const rows = columns(
        ['NAME', 'VERSION', 'UPDATED'],
        page.policies.map((p) => [p.name, String(p.rowVersion), p.updatedAt]),
      );
      return page.nextCursor === null ? rows : `${rows}\n\nMore: --cursor ${page.nextCursor}`;
    });
    return EXIT_OK;
  },
};

export const policyDeleteCommand: Command = {
  name: ['policy', 'delete'],
  summary: 'Delete a policy',
  usage: 'Usage: custos policy delete NAME [--if-match VERSION] [--json]',
  async run(args, io) {
    const { values, positionals: given } = parseCommandArgs(args, { ...ifMatchOption });
    const [name = ''] = positionals(given, ['NAME']);
    const rowVersion = rowVersionOf(values['if-match']);
    await clientWithIfMatch(io, rowVersion).request('DELETE', policyPath(name));
    output(io, values.json, { name, deleted: true }, () => `Policy ${name} deleted`);
    return EXIT_OK;
  },
};

export const POLICY_COMMANDS: readonly Command[] = [
  policyPutCommand,
  policyGetCommand,
  policyListCommand,
  policyDeleteCommand,
];
