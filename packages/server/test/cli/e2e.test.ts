/**
 * The acceptance test of the server issue: the built `custos` binary against a real
 * `custos server`, configured only through CUSTOS_ADDR and CUSTOS_TOKEN.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, type RunningServer, runBinary, startServer } from './binary-harness.js';

let server: RunningServer;
let files: string;

beforeAll(async () => {
  server = await startServer();
  files = await mkdtemp(join(tmpdir(), 'custos-e2e-files-'));
}, 60_000);
afterAll(async () => {
  await server.stop();
  await rm(files, { recursive: true, force: true });
});

function custos(args: readonly string[], options: { stdin?: Buffer; token?: string } = {}) {
  return runBinary(args, {
    env: { CUSTOS_ADDR: server.addr, CUSTOS_TOKEN: options.token ?? server.token },
    ...(options.stdin !== undefined && { stdin: options.stdin }),
    timeoutMs: 60_000,
  });
}

/** Asserts exit 0 and no error output, showing stderr (and the server's log) if not. */
function ok(run: CliRun): CliRun {
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  return run;
}

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the shape of the command's JSON
function json<T = Record<string, unknown>>(run: CliRun): T {
  return JSON.parse(ok(run).stdout.toString()) as T;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

async function createKey(...args: string[]): Promise<string> {
  const key = json<{ keyId: string; state: string }>(
    await custos(['key', 'create', ...args, '--json']),
  );
  expect(key.keyId).toMatch(/^[0-9a-f-]{36}$/);
  expect(key.state).toBe('Enabled');
  return key.keyId;
}

// Each command is a fresh Node process (about a second on a busy machine), hence the timeout.
describe('custos CLI against a running server', { timeout: 180_000 }, () => {
  it('creates a key, then encrypts and decrypts a small input through stdin and stdout', async () => {
    const keyId = await createKey('--description', 'acceptance');
    const plaintext = Buffer.from('attack at dawn \u0000\u00ff binary-safe\n');
    const encrypted = ok(await custos(['encrypt', '--key', keyId], { stdin: plaintext }));
    expect(encrypted.stdout[0]).toBe(0x01);
    expect(encrypted.stdout.includes(plaintext)).toBe(false);
    const decrypted = ok(await custos(['decrypt'], { stdin: encrypted.stdout }));
    expect(decrypted.stdout.equals(plaintext)).toBe(true);
  });

  it('round-trips a 5 MiB file through the streamed envelope, files and pipes', async () => {
    const keyId = await createKey('--alias', 'e2e-big');
    const data = randomBytes(5 * 1024 * 1024);
    const input = join(files, 'big.bin');
    const sealed = join(files, 'big.csen');
    const opened = join(files, 'big.out');
    await writeFile(input, data);
    const context = ['--context', 'purpose=backup', '--context', 'tenant=acme'];
    const started = performance.now();
    ok(
      await custos([
        'encrypt',
        '--key',
        'alias/e2e-big',
        ...context,
        '--in',
        input,
        '--out',
        sealed,
      ]),
    );
    const encryptMs = performance.now() - started;
    const envelope = await readFile(sealed);
    expect(envelope.subarray(0, 4).toString('latin1')).toBe('CSEN');
    expect(envelope.length).toBe(56 + 82 + data.length + 16 * 81);
    const made = json<{ keyId: string; bytes: number; format: string }>(
      await custos(['decrypt', ...context, '--in', sealed, '--out', opened, '--json']),
    );
    expect(made).toMatchObject({ keyId, bytes: data.length, format: 'envelope-v1' });
    expect(sha256(await readFile(opened))).toBe(sha256(data));
    expect((await stat(opened)).mode & 0o777).toBe(0o600);
    // The same through stdin and stdout.
    const piped = ok(await custos(['decrypt', ...context], { stdin: envelope }));
    expect(sha256(piped.stdout)).toBe(sha256(data));
    const streamed = ok(await custos(['encrypt', '--key', keyId, ...context], { stdin: data }));
    const back = ok(await custos(['decrypt', ...context], { stdin: streamed.stdout }));
    expect(sha256(back.stdout)).toBe(sha256(data));
    expect(encryptMs).toBeLessThan(20_000);
  });

  it('refuses the envelope under another context, and when damaged, with exit 1', async () => {
    const keyId = await createKey();
    const data = randomBytes(10_000);
    const sealed = ok(
      await custos(['encrypt', '--key', keyId, '--context', 'a=1'], { stdin: data }),
    );
    const wrong = await custos(['decrypt', '--context', 'a=2'], { stdin: sealed.stdout });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/INVALID_CIPHERTEXT/);
    const damaged = Buffer.from(sealed.stdout);
    damaged[damaged.length - 1] = damaged[damaged.length - 1]! ^ 1;
    const bad = await custos(['decrypt', '--context', 'a=1'], { stdin: damaged });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/INVALID_CIPHERTEXT/);
    // A small (v1) ciphertext under the wrong context: the server's uniform answer.
    const small = ok(
      await custos(['encrypt', '--key', keyId, '--context', 'a=1'], {
        stdin: data.subarray(0, 100),
      }),
    );
    const refused = await custos(['decrypt', '--context', 'a=2', '--json'], {
      stdin: small.stdout,
    });
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stderr)).toMatchObject({ error: { code: 'INVALID_CIPHERTEXT' } });
  });

  it('signs and verifies, exiting 1 for a signature that does not verify', async () => {
    for (const [spec, algorithm] of [
      ['ECC_NIST_P256', 'ECDSA_SHA_256'],
      ['ED25519', 'ED25519_SHA_512'],
      ['RSA_2048', 'RSASSA_PSS_SHA_256'],
    ] as const) {
      const keyId = await createKey('--spec', spec, '--usage', 'sign_verify');
      const message = Buffer.from(`release ${spec}`);
      const signed = ok(
        await custos(['sign', '--key', keyId, '--algorithm', algorithm], { stdin: message }),
      );
      const signature = signed.stdout.toString().trim();
      expect(Buffer.from(signature, 'base64').length).toBeGreaterThan(0);
      const valid = await custos(
        ['verify', '--key', keyId, '--algorithm', algorithm, '--signature', signature],
        {
          stdin: message,
        },
      );
      expect(ok(valid).stdout.toString()).toMatch(/valid/);
      const forged = await custos(
        ['verify', '--key', keyId, '--algorithm', algorithm, '--signature', signature, '--json'],
        { stdin: Buffer.from('release something else') },
      );
      expect(forged.code).toBe(1);
      expect(JSON.parse(forged.stdout.toString())).toMatchObject({ valid: false, keyId });
    }
  });

  it('signs a large file by digest, and verifies it from a signature file', async () => {
    const keyId = await createKey('--spec', 'ECC_NIST_P384');
    const document = join(files, 'document.bin');
    const signatureFile = join(files, 'document.sig');
    await writeFile(document, randomBytes(100_000));
    const signed = json<{ signature: string; algorithm: string }>(
      await custos([
        'sign',
        '--key',
        keyId,
        '--algorithm',
        'ECDSA_SHA_384',
        '--in',
        document,
        '--json',
      ]),
    );
    await writeFile(signatureFile, `${signed.signature}\n`);
    ok(
      await custos([
        'verify',
        '--key',
        keyId,
        '--algorithm',
        'ECDSA_SHA_384',
        '--signature-file',
        signatureFile,
        '--in',
        document,
      ]),
    );
    const digest = createHash('sha384')
      .update(await readFile(document))
      .digest();
    ok(
      await custos(
        [
          'verify',
          '--key',
          keyId,
          '--algorithm',
          'ECDSA_SHA_384',
          '--signature',
          signed.signature,
          '--digest',
        ],
        { stdin: digest },
      ),
    );
  });

  it('generates data keys and random bytes; a data key ciphertext decrypts with custos decrypt', async () => {
    const keyId = await createKey();
    const dataKey = json<{ plaintext: string; ciphertext: string; keyId: string }>(
      await custos(['data-key', '--key', keyId, '--context', 'app=x', '--json']),
    );
    expect(Buffer.from(dataKey.plaintext, 'base64').length).toBe(32);
    const opened = ok(
      await custos(['decrypt', '--context', 'app=x'], { stdin: Buffer.from(dataKey.ciphertext) }),
    );
    expect(opened.stdout.toString('base64')).toBe(dataKey.plaintext);
    const withoutPlaintext = json(
      await custos(['data-key', '--key', keyId, '--bytes', '64', '--no-plaintext', '--json']),
    );
    expect(withoutPlaintext).not.toHaveProperty('plaintext');
    const random = json<{ random: string }>(await custos(['random', '48', '--json']));
    expect(Buffer.from(random.random, 'base64').length).toBe(48);
    expect(
      Buffer.from(
        ok(await custos(['random', '16']))
          .stdout.toString()
          .trim(),
        'base64',
      ).length,
    ).toBe(16);
  });

  it('manages keys, versions and aliases with --json output that parses', async () => {
    const keyId = await createKey('--tag', 'team=payments', '--rotation-period-days', '90');
    expect(json(await custos(['key', 'describe', keyId, '--json']))).toMatchObject({
      keyId,
      tags: { team: 'payments' },
      rotationPeriodDays: 90,
    });
    expect(json(await custos(['key', 'rotate', keyId, '--json']))).toMatchObject({
      primaryVersion: 2,
    });
    expect(json(await custos(['key', 'version', 'disable', keyId, '1', '--json']))).toMatchObject({
      versions: [
        { version: 1, state: 'Disabled' },
        { version: 2, state: 'Enabled' },
      ],
    });
    ok(await custos(['key', 'version', 'enable', keyId, '1']));
    expect(json(await custos(['key', 'tag', keyId, 'env=prod', '--json']))).toMatchObject({
      tags: { team: 'payments', env: 'prod' },
    });
    expect(json(await custos(['key', 'untag', keyId, 'team', '--json']))).toMatchObject({
      tags: { env: 'prod' },
    });
    expect(
      json(
        await custos([
          'key',
          'update',
          keyId,
          '--description',
          'renamed',
          '--no-rotation',
          '--json',
        ]),
      ),
    ).toMatchObject({
      description: 'renamed',
      rotationPeriodDays: null,
    });
    expect(json(await custos(['key', 'disable', keyId, '--json']))).toMatchObject({
      state: 'Disabled',
    });
    const disabled = await custos(['encrypt', '--key', keyId], { stdin: Buffer.from('x') });
    expect(disabled.code).toBe(1);
    expect(disabled.stderr).toMatch(/KEY_DISABLED/);
    expect(json(await custos(['key', 'enable', keyId, '--json']))).toMatchObject({
      state: 'Enabled',
    });

    ok(await custos(['alias', 'create', 'e2e-app', keyId]));
    const aliases = json<{ aliases: { name: string; keyId: string }[] }>(
      await custos(['alias', 'list', '--key', keyId, '--json']),
    );
    expect(aliases.aliases).toEqual([expect.objectContaining({ name: 'alias/e2e-app', keyId })]);
    const other = await createKey();
    ok(await custos(['alias', 'update', 'alias/e2e-app', other]));
    expect(json(await custos(['key', 'describe', 'alias/e2e-app', '--json']))).toMatchObject({
      keyId: other,
    });
    ok(await custos(['alias', 'delete', 'e2e-app']));

    const listed = json<{ keys: { keyId: string }[] }>(
      await custos(['key', 'list', '--limit', '1000', '--json']),
    );
    expect(listed.keys.map((k) => k.keyId)).toContain(keyId);
    expect(ok(await custos(['key', 'list'])).stdout.toString()).toMatch(/^KEY ID +SPEC/);

    expect(
      json(await custos(['key', 'schedule-deletion', keyId, '--days', '7', '--json'])),
    ).toMatchObject({
      state: 'PendingDeletion',
    });
    expect(json(await custos(['key', 'cancel-deletion', keyId, '--json']))).toMatchObject({
      state: 'Disabled',
    });
  });

  it('exits 2 on usage errors, without contacting the server', async () => {
    for (const args of [
      ['encrypt'],
      ['key', 'create', '--spec'],
      ['key', 'create', '--spec', 'AES_512'],
      ['random', 'many'],
      ['verify', '--key', 'k', '--algorithm', 'ECDSA_SHA_256'],
    ]) {
      const run = await custos(args);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/Usage: custos/);
    }
  });

  it('exits 1 with the problem code on stderr when the server refuses', async () => {
    const missing = await custos(['key', 'describe', '00000000-0000-4000-8000-000000000000']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^custos key describe: NOT_FOUND: /);
    const badToken = await custos(['key', 'list', '--json'], { token: 'not-a-valid-token' });
    expect(badToken.code).toBe(1);
    expect(JSON.parse(badToken.stderr)).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    const invalid = await custos([
      'key',
      'create',
      '--spec',
      'ED25519',
      '--usage',
      'ENCRYPT_DECRYPT',
    ]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/INVALID_INPUT/);
  });
});
