import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, ENV_MAPPINGS, loadConfig } from '../../src/ops/config.js';
import { configSchema } from '../../src/ops/config-schema.js';

const dir = mkdtempSync(join(tmpdir(), 'custos-config-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function failure(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as ConfigError).code).toBe('INVALID_INPUT');
  return error as ConfigError;
}

describe('config defaults (DESIGN.md interface contract)', () => {
  it('with no file, env or flags', async () => {
    const config = await loadConfig({ env: {} });
    expect(config.dataDir).toBe('./custos-data');
    expect(config.listen).toBe('127.0.0.1:8200');
    expect(config.kmipListen).toBe('127.0.0.1:5696');
    expect(config.store).toEqual({ type: 'sqlite' });
    expect(config.seal).toEqual({ type: 'dev-file' });
    expect(config.limits.bodyBytes).toBe(1024 * 1024);
    expect(config.logging.level).toBe('info');
    expect(config.tracing.otlpEndpoint).toBeUndefined();
  });
});

describe('config precedence: flag > env > file > default', () => {
  const path = file(
    'p.yaml',
    'dataDir: /from/file\nlisten: 127.0.0.1:1111\nkmipListen: 127.0.0.1:2222\n',
  );

  it('file over default', async () => {
    const config = await loadConfig({ flags: { config: path }, env: {} });
    expect(config.dataDir).toBe('/from/file');
  });

  it('env over file, flag over env', async () => {
    const env = { CUSTOS_DATA_DIR: '/from/env', CUSTOS_LISTEN: '127.0.0.1:3333' };
    const config = await loadConfig({ flags: { config: path, dataDir: '/from/flag' }, env });
    expect(config.dataDir).toBe('/from/flag');
    expect(config.listen).toBe('127.0.0.1:3333');
    expect(config.kmipListen).toBe('127.0.0.1:2222');
  });

  it('CUSTOS_CONFIG names the file when --config does not', async () => {
    const config = await loadConfig({ env: { CUSTOS_CONFIG: path } });
    expect(config.listen).toBe('127.0.0.1:1111');
  });

  it('env reaches nested fields, typed', async () => {
    const config = await loadConfig({
      env: {
        CUSTOS_SEAL_TYPE: 'passphrase',
        CUSTOS_LIMITS_BODY_BYTES: '2048',
        CUSTOS_LIMITS_RATE_PER_ADDRESS_POINTS: '10',
        CUSTOS_LIMITS_RATE_PER_ADDRESS_DURATION_SECONDS: '1',
        CUSTOS_LOG_LEVEL: 'debug',
        CUSTOS_OIDC: JSON.stringify([
          { issuer: 'https://id.example', audience: 'custos', jwksUrl: 'https://id.example/jwks' },
        ]),
      },
    });
    expect(config.seal).toEqual({ type: 'passphrase' });
    expect(config.limits.bodyBytes).toBe(2048);
    expect(config.limits.rate.perAddress).toEqual({ points: 10, durationSeconds: 1 });
    expect(config.logging.level).toBe('debug');
    expect(config.oidc[0]?.audience).toBe('custos');
  });
});

describe('config errors name the key and never echo values', () => {
  it('an unknown key', async () => {
    const path = file('u.yaml', 'limits:\n  bodyByte: 10\n');
    const error = await failure(loadConfig({ flags: { config: path }, env: {} }));
    expect(error.message).toContain("unknown key 'limits.bodyByte'");
  });

  it('an unknown top-level key', async () => {
    const path = file('t.yaml', 'datadir: /x\n');
    const error = await failure(loadConfig({ flags: { config: path }, env: {} }));
    expect(error.message).toContain("unknown key 'datadir'");
  });

  it('a key that belongs to another seal type', async () => {
    const path = file('s.yaml', 'seal: { type: passphrase, path: /x }\n');
    const error = await failure(loadConfig({ flags: { config: path }, env: {} }));
    expect(error.message).toContain("unknown key 'seal.path'");
  });

  it('a wrong value', async () => {
    const error = await failure(loadConfig({ flags: { listen: 'nowhere' }, env: {} }));
    expect(error.message).toContain("'listen'");
  });

  it('a non-integer env value names the variable, not the value', async () => {
    const error = await failure(loadConfig({ env: { CUSTOS_LIMITS_BODY_BYTES: 's3cr3t' } }));
    expect(error.message).toContain('CUSTOS_LIMITS_BODY_BYTES');
    expect(error.message).not.toContain('s3cr3t');
  });

  it('requireClientCert without clientCa', async () => {
    const path = file('m.yaml', 'tls: { cert: c.pem, key: k.pem, requireClientCert: true }\n');
    const error = await failure(loadConfig({ flags: { config: path }, env: {} }));
    expect(error.message).toContain('tls.requireClientCert');
  });

  it('a missing file and invalid YAML', async () => {
    await failure(loadConfig({ flags: { config: join(dir, 'absent.yaml') }, env: {} }));
    const path = file('bad.yaml', 'listen: [\n');
    const error = await failure(loadConfig({ flags: { config: path }, env: {} }));
    expect(error.message).toContain('not valid YAML');
  });
});

/** Every leaf of the schema's JSON form, as dotted paths; arrays are leaves. */
function leaves(schema: unknown, prefix = ''): string[] {
  const node = schema as { properties?: Record<string, unknown>; oneOf?: unknown[]; type?: string };
  if (node.oneOf !== undefined) return [...new Set(node.oneOf.flatMap((s) => leaves(s, prefix)))];
  if (node.properties === undefined || node.type === 'array') return [prefix];
  return Object.entries(node.properties).flatMap(([name, child]) =>
    leaves(child, prefix === '' ? name : `${prefix}.${name}`),
  );
}

describe('CUSTOS_* mapping table', () => {
  const schemaLeaves = leaves(z.toJSONSchema(configSchema, { io: 'input' })).sort();
  const mapped = ENV_MAPPINGS.map((m) => m.path.join('.')).sort();

  it('covers every config field exactly once', () => {
    expect(mapped).toEqual(schemaLeaves);
  });

  it('is listed in docs/configuration.md', async () => {
    const { readFile } = await import('node:fs/promises');
    const doc = await readFile(
      new URL('../../../../docs/configuration.md', import.meta.url),
      'utf8',
    );
    for (const mapping of ENV_MAPPINGS) {
      expect(doc, mapping.env).toContain(`\`${mapping.env}\``);
      expect(doc, mapping.env).toContain(`\`${mapping.path.join('.')}\``);
    }
  });
});
