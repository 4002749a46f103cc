/** `custos sign|verify|data-key|random` (built binary) against a running server. */
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { E2E_TIMEOUT, json, ok, useServer } from './e2e-session.js';

const { custos, createKey, files } = useServer();

describe(
  'custos sign / verify / data-key / random against a running server',
  { timeout: E2E_TIMEOUT },
  () => {
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
      const document = join(files(), 'document.bin');
      const signatureFile = join(files(), 'document.sig');
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
  },
);
