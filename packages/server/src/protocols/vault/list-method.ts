import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/** A LIST request's head (request line and headers) is small; more is refused. */
const MAX_HEAD_BYTES = 16 * 1024;
/** `LIST /v1/<mount>/keys`: the one Transit path Vault lists. */
const LISTABLE = /^\/v1\/[a-z0-9][a-z0-9_-]{0,63}\/keys\/?$/;

interface ListRequest {
  readonly target: string;
  readonly headers: Record<string, string | string[]>;
}

type ClientErrorListener = (error: Error, socket: Socket) => void;

/**
 * Vault clients list with the `LIST` verb, which Node's HTTP parser
 * (llhttp, a fixed method table: `http.METHODS`) refuses before any route
 * runs, as the client error HPE_INVALID_METHOD with the bytes it stopped
 * at. Node offers no option to add a method, so the refused request is taken
 * from there: its head is parsed here, run through the whole server as
 * `GET <path>?list=true` (same hooks, authentication, audit), and the answer
 * written to the socket, which is then closed, since bytes the client may
 * have pipelined behind it went to the failed parser. Every other client
 * error goes to the handlers installed before (Fastify's 400).
 */
export function acceptListMethod(app: FastifyInstance): void {
  const server = app.server;
  const previous = server.listeners('clientError') as ClientErrorListener[];
  server.removeAllListeners('clientError');
  server.on('clientError', (error: Error, socket: Socket) => {
    const request = listRequestOf(error);
    if (request === undefined) {
      for (const listener of previous) listener.call(server, error, socket);
      return;
    }
    void answer(app, request, socket);
  });
}

/** The LIST request a parse error stopped at, if that is what it was. */
function listRequestOf(error: Error): ListRequest | 'malformed' | undefined {
  const { code, rawPacket, bytesParsed } = error as Error & {
    code?: string;
    rawPacket?: unknown;
    bytesParsed?: unknown;
  };
  if (code !== 'HPE_INVALID_METHOD' || !Buffer.isBuffer(rawPacket)) return undefined;
  const at = typeof bytesParsed === 'number' ? bytesParsed : 0;
  // llhttp stops inside the method ("LI" matches LINK): the request starts just before.
  const start = rawPacket.lastIndexOf('LIST ', at, 'latin1');
  if (start < 0 || at - start > 4) return undefined;
  const end = rawPacket.indexOf('\r\n\r\n', start, 'latin1');
  if (end < 0 || end - start > MAX_HEAD_BYTES) return 'malformed';
  return parseHead(rawPacket.subarray(start, end).toString('latin1')) ?? 'malformed';
}

function parseHead(head: string): ListRequest | undefined {
  const [line, ...fields] = head.split('\r\n');
  const match = /^LIST (\/[!-~]*) HTTP\/1\.[01]$/.exec(line ?? '');
  if (match?.[1] === undefined) return undefined;
  const headers: Record<string, string | string[]> = {};
  for (const field of fields) {
    const colon = field.indexOf(':');
    if (colon <= 0) return undefined;
    const name = field.slice(0, colon).toLowerCase();
    if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name)) return undefined;
    // A LIST has no body; whatever framing it claims is not carried over.
    if (name === 'content-length' || name === 'transfer-encoding') continue;
    const value = field.slice(colon + 1).trim();
    const seen = headers[name];
    headers[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return { target: match[1], headers };
}

async function answer(
  app: FastifyInstance,
  request: ListRequest | 'malformed',
  socket: Socket,
): Promise<void> {
  if (request === 'malformed') {
    write(socket, 400, {}, Buffer.from(JSON.stringify({ errors: ['malformed LIST request'] })));
    return;
  }
  const [path = '', query] = request.target.split('?', 2);
  if (!LISTABLE.test(path)) {
    write(socket, 405, {}, Buffer.from(JSON.stringify({ errors: ['unsupported operation'] })));
    return;
  }
  try {
    const response = await app.inject({
      method: 'GET',
      url: `${path.replace(/\/$/, '')}?${query === undefined ? '' : `${query}&`}list=true`,
      headers: request.headers,
      ...(socket.remoteAddress !== undefined && { remoteAddress: socket.remoteAddress }),
    });
    write(socket, response.statusCode, response.headers, response.rawPayload);
  } catch {
    write(socket, 500, {}, Buffer.from(JSON.stringify({ errors: ['internal error'] })));
  }
}

/** HTTP/1.1 response with the body's length, then the connection is closed. */
function write(
  socket: Socket,
  status: number,
  headers: Record<string, unknown>,
  body: Buffer,
): void {
  if (socket.destroyed) return;
  const lines = [`HTTP/1.1 ${String(status)} ${STATUS_CODES[status] ?? ''}`];
  for (const [name, value] of Object.entries(headers)) {
    if (['connection', 'content-length', 'transfer-encoding', 'keep-alive'].includes(name))
      continue;
    for (const one of Array.isArray(value) ? value : [value]) {
      if (typeof one === 'string' || typeof one === 'number') lines.push(`${name}: ${String(one)}`);
    }
  }
  if (headers['content-type'] === undefined) lines.push('content-type: application/json');
  lines.push(`content-length: ${String(body.length)}`, 'connection: close', '', '');
  socket.end(Buffer.concat([Buffer.from(lines.join('\r\n'), 'latin1'), body]));
}
