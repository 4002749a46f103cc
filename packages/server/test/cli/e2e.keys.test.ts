/**
 * `custos key …` and `custos alias …` (built binary) against a running server: --json output
 * that parses, exit 2 for usage errors, exit 1 with the problem code when the server refuses.
 */
import { describe, expect, it } from 'vitest';
import { E2E_TIMEOUT, json, ok, useServer } from './e2e-session.js';

const { custos, createKey } = useServer();

describe('custos key / alias against a running server', { timeout: E2E_TIMEOUT }, () => {
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
