/** `custos principal update` (built binary) against a running server. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { E2E_TIMEOUT, json, ok, useServer } from './e2e-session.js';

const session = useServer();
const { custos } = session;

describe('custos principal update', { timeout: E2E_TIMEOUT }, () => {
  it('changes kind, policies and the disabled flag; refuses bad usage', async () => {
    const file = join(session.files(), 'describe.json');
    await writeFile(
      file,
      JSON.stringify({
        version: '2026-11-01',
        statements: [{ effect: 'allow', actions: ['kms:DescribeKey'], resources: ['*'] }],
      }),
    );
    ok(await custos(['policy', 'put', 'describe-keys', '--file', file]));
    ok(await custos(['principal', 'create', 'user/cli-update']));

    expect(
      json(
        await custos([
          'principal',
          'update',
          'user/cli-update',
          '--kind',
          'service',
          '--policy',
          'describe-keys',
          '--json',
        ]),
      ),
    ).toMatchObject({ id: 'user/cli-update', kind: 'service', policies: ['describe-keys'] });

    const human = ok(await custos(['principal', 'update', 'user/cli-update', '--disable']));
    expect(human.stdout.toString()).toMatch(/Disabled\s+true/);
    expect(
      json(
        await custos([
          'principal',
          'update',
          'user/cli-update',
          '--enable',
          '--no-policies',
          '--json',
        ]),
      ),
    ).toMatchObject({ policies: [], disabled: false });

    for (const args of [
      [],
      ['--disable', '--enable'],
      ['--policy', 'describe-keys', '--no-policies'],
      ['--kind', 'robot'],
    ]) {
      const run = await custos(['principal', 'update', 'user/cli-update', ...args]);
      expect(run.code, args.join(' ')).toBe(2);
    }
    const missing = await custos(['principal', 'update', 'user/nobody', '--disable']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/NOT_FOUND|does not exist/);
  });
});
