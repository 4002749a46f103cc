import type { FastifyInstance } from 'fastify';

export interface CloseResult {
  /** Connections were still busy when the timeout ran out and were cut. */
  readonly forced: boolean;
}

/**
 * Stops accepting connections and waits for in-flight requests to finish
 * (idle keep-alive sockets close at once; requests arriving on busy ones get
 * 503). After `timeoutMs` every remaining connection is destroyed, so a stuck
 * client cannot hold the process up forever.
 *
 * @example
 * const { forced } = await closeGracefully(app, 10_000);
 */
export async function closeGracefully(
  app: FastifyInstance,
  timeoutMs: number,
): Promise<CloseResult> {
  let forced = false;
  const timer = setTimeout(() => {
    forced = true;
    app.server.closeAllConnections();
  }, timeoutMs);
  try {
    await app.close();
  } finally {
    clearTimeout(timer);
  }
  return { forced };
}
