/**
 * The acceptance test of the server issue: the built `custos` binary against a real
 * `custos server`, configured only through CUSTOS_ADDR and CUSTOS_TOKEN: create a key, then
 * encrypt and decrypt through it, small inputs as v1 ciphertexts and 5 MiB as an envelope.
 */
import { randomBytes } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { E2E_TIMEOUT, json, ok, sha256, useServer } from './e2e-session.js';

const { custos, createKey, files } = useServer();

describe('custos encrypt / decrypt against a running server', { timeout: E2E_TIMEOUT }, () => {
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
    const input = join(files(), 'big.bin');
    const sealed = join(files(), 'big.csen');
    const opened = join(files(), 'big.out');
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
});
