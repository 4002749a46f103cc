import { readFile } from 'node:fs/promises';
import type { TlsConfig } from './ops/config.js';
import { ConfigError } from './ops/config.js';
import type { HttpsMaterial } from './protocols/http/server.js';

/** Reads the configured PEM files; a missing or unreadable one is a ConfigError naming it. */
export async function readTls(tls: TlsConfig | undefined): Promise<HttpsMaterial | undefined> {
  if (tls === undefined) return undefined;
  const [cert, key, clientCa] = await Promise.all([
    pem(tls.cert, 'tls.cert'),
    pem(tls.key, 'tls.key'),
    tls.clientCa === undefined ? undefined : pem(tls.clientCa, 'tls.clientCa'),
  ]);
  return {
    cert,
    key,
    requireClientCert: tls.requireClientCert,
    ...(clientCa !== undefined && { clientCa }),
  };
}

async function pem(path: string, field: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'error';
    throw new ConfigError(`cannot read ${field} file ${path}: ${code}`);
  }
}
