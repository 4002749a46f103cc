import { z } from 'zod';
import { CliError, UsageError } from './command.js';

/** Where client commands find the server when CUSTOS_ADDR is unset (DESIGN.md). */
export const DEFAULT_ADDR = 'http://127.0.0.1:8200';

/** A problem+json document as the REST API sends it (docs/rest-api.md). */
const Problem = z.object({
  code: z.string(),
  title: z.string().optional(),
  detail: z.string().optional(),
  status: z.number().optional(),
  requestId: z.string().optional(),
});

export interface RequestOptions<T> {
  /** Sent as JSON. */
  readonly body?: unknown;
  /** Query parameters; undefined values are left out. */
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** Validates the response body; omit for 204 responses or when any JSON will do. */
  readonly schema?: z.ZodType<T>;
}

export interface ClientOptions {
  readonly addr: string;
  readonly token?: string;
  /** Replaceable for tests. */
  readonly fetch?: typeof fetch;
}

/**
 * The HTTP client of the CLI: JSON in, JSON out, problem+json errors become a
 * CliError carrying the server's stable code. For an https CUSTOS_ADDR with a
 * private CA, point NODE_EXTRA_CA_CERTS at the CA file.
 *
 * @example
 * const client = clientFromEnv(io.env);
 * const key = await client.request('POST', '/api/v1/keys', { body: { spec: 'AES_256' }, schema: KeyView });
 */
export class CustosClient {
  readonly addr: string;
  readonly #token: string | undefined;
  readonly #fetch: typeof fetch;

  constructor(options: ClientOptions) {
    this.addr = normaliseAddr(options.addr);
    this.#token = options.token;
    this.#fetch = options.fetch ?? fetch;
  }

  async request<T = unknown>(method: string, path: string, options: RequestOptions<T> = {}) {
    const url = new URL(path, `${this.addr}/`);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.#token !== undefined) headers.authorization = `Bearer ${this.#token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await this.#fetch(url, {
        method,
        headers,
        ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
      });
    } catch (error) {
      throw new CliError('UNAVAILABLE', `cannot reach ${this.addr}: ${networkReason(error)}`);
    }
    const text = await response.text();
    if (!response.ok) throw problemError(response, text);
    return parseBody(text, response.status, options.schema);
  }
}

/** A client for CUSTOS_ADDR (default http://127.0.0.1:8200) and CUSTOS_TOKEN. */
export function clientFromEnv(env: Readonly<Record<string, string | undefined>>): CustosClient {
  const token = env.CUSTOS_TOKEN?.trim();
  const addr = env.CUSTOS_ADDR?.trim();
  return new CustosClient({
    addr: addr === undefined || addr === '' ? DEFAULT_ADDR : addr,
    ...(token !== undefined && token !== '' && { token }),
  });
}

function normaliseAddr(addr: string): string {
  let url: URL;
  try {
    url = new URL(addr);
  } catch {
    throw new UsageError(`CUSTOS_ADDR '${addr}' is not a URL (e.g. ${DEFAULT_ADDR})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`CUSTOS_ADDR must be an http:// or https:// URL, not '${addr}'`);
  }
  return url.href.replace(/\/+$/, '');
}

function parseBody<T>(text: string, status: number, schema?: z.ZodType<T>): T {
  if (text === '') {
    if (schema === undefined) return undefined as T;
    throw new CliError('INTERNAL', `the server sent an empty response (HTTP ${status})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CliError('INTERNAL', `the server sent a response that is not JSON (HTTP ${status})`);
  }
  if (schema === undefined) return json as T;
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new CliError('INTERNAL', `unexpected response: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

function problemError(response: Response, text: string): CliError {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const problem = Problem.safeParse(json);
  if (problem.success) {
    const { code, detail, title, requestId } = problem.data;
    return new CliError(code, detail ?? title ?? code, response.status, requestId);
  }
  return new CliError(
    codeForStatus(response.status),
    `HTTP ${response.status} ${response.statusText}`.trim(),
    response.status,
  );
}

/** For answers that are not problem documents (a proxy in the way, an old server). */
function codeForStatus(status: number): string {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'ACCESS_DENIED';
  if (status === 404) return 'NOT_FOUND';
  if (status === 429) return 'THROTTLED';
  if (status === 503) return 'UNAVAILABLE';
  return status >= 500 ? 'INTERNAL' : 'INVALID_INPUT';
}

function networkReason(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error && 'code' in cause && typeof cause.code === 'string')
    return cause.code;
  return error instanceof Error ? error.message : 'network error';
}
