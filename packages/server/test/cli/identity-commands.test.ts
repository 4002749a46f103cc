/**
 * `custos principal …`, `custos token …` and `custos policy …` (built binary) against a
 * running server: a token limited by a policy encrypts with one key only, and stops
 * working once revoked.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { E2E_TIMEOUT, json, ok, useServer } from './e2e-session.js';

const session = useServer();
const { custos, createKey } = session;

describe(
  'custos principal / token / policy against a running server',
  { timeout: E2E_TIMEOUT },
  () => {
    it('issues a policy-limited token, uses it, lists and revokes it', async () => {
      const allowed = await createKey();
      const other = await createKey();

      expect(
        json(
          await custos(['principal', 'create', 'service/e2e-app', '--kind', 'service', '--json']),
        ),
      ).toMatchObject({ id: 'service/e2e-app', kind: 'service', policies: [], disabled: false });
      expect(
        ok(await custos(['principal', 'describe', 'service/e2e-app'])).stdout.toString(),
      ).toMatch(/Principal\s+service\/e2e-app/);
      const principals = json<{ principals: { id: string }[] }>(
        await custos(['principal', 'list', '--json']),
      );
      expect(principals.principals.map((p) => p.id)).toContain('service/e2e-app');

      const file = join(session.files(), 'encrypt-one.json');
      const document = {
        version: '2026-11-01',
        statements: [
          { sid: 'one-key', effect: 'allow', actions: ['kms:Encrypt'], resources: [allowed] },
        ],
      };
      await writeFile(file, JSON.stringify(document));
      const put = json<{ name: string; created: boolean; rowVersion: number }>(
        await custos(['policy', 'put', 'encrypt-one', '--file', file, '--json']),
      );
      expect(put).toMatchObject({ name: 'encrypt-one', created: true });
      expect(Number.isInteger(put.rowVersion)).toBe(true);
      const got = json<{ document: unknown; rowVersion: number }>(
        await custos(['policy', 'get', 'encrypt-one', '--json']),
      );
      expect(got.document).toMatchObject(document);
      // From stdin, with the version just read; a stale version is refused.
      expect(
        json(
          await custos(
            ['policy', 'put', 'encrypt-one', '--if-match', String(got.rowVersion), '--json'],
            { stdin: Buffer.from(JSON.stringify(document)) },
          ),
        ),
      ).toMatchObject({ created: false });
      const stale = await custos(
        ['policy', 'put', 'encrypt-one', '--if-match', String(got.rowVersion)],
        {
          stdin: Buffer.from(JSON.stringify(document)),
        },
      );
      expect(stale.code).toBe(1);
      const policies = json<{ policies: { name: string }[] }>(
        await custos(['policy', 'list', '--json']),
      );
      expect(policies.policies.map((p) => p.name)).toContain('encrypt-one');

      const created = json<{ token: string; accessor: string; expiresAt: string | null }>(
        await custos([
          'token',
          'create',
          '--principal',
          'service/e2e-app',
          '--policy',
          'encrypt-one',
          '--ttl',
          '1h',
          '--display-name',
          'e2e',
          '--json',
        ]),
      );
      expect(created.token).toMatch(/^cus_/);
      expect(Date.parse(created.expiresAt ?? '') - Date.now()).toBeGreaterThan(50 * 60_000);
      const token = created.token;

      // Human output is the secret alone.
      const plain = ok(
        await custos(['token', 'create', '--principal', 'service/e2e-app', '--ttl', '30s']),
      );
      expect(plain.stdout.toString()).toMatch(/^cus_[A-Za-z0-9_-]+\n$/);

      expect(json(await custos(['token', 'lookup-self', '--json'], { token }))).toMatchObject({
        id: 'service/e2e-app',
        policies: ['encrypt-one'],
        token: { accessor: created.accessor, displayName: 'e2e' },
      });
      ok(await custos(['encrypt', '--key', allowed], { token, stdin: Buffer.from('hello') }));
      const denied = await custos(['encrypt', '--key', other], { token, stdin: Buffer.from('x') });
      expect(denied.code).toBe(1);
      expect(denied.stderr).toMatch(/ACCESS_DENIED/);

      const tokens = json<{ tokens: { accessor: string; revokedAt: string | null }[] }>(
        await custos(['token', 'list', '--principal', 'service/e2e-app', '--json']),
      );
      expect(tokens.tokens.map((t) => t.accessor)).toContain(created.accessor);
      expect(ok(await custos(['token', 'list'])).stdout.toString()).toMatch(/^ACCESSOR +PRINCIPAL/);
      ok(await custos(['token', 'revoke', created.accessor]));
      const refused = await custos(['encrypt', '--key', allowed], {
        token,
        stdin: Buffer.from('hello'),
      });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/UNAUTHENTICATED/);

      ok(await custos(['principal', 'delete', 'service/e2e-app']));
      const gone = await custos(['principal', 'describe', 'service/e2e-app']);
      expect(gone.code).toBe(1);
      expect(gone.stderr).toMatch(/NOT_FOUND/);
      ok(await custos(['policy', 'delete', 'encrypt-one']));
    });

    it('exits 2 on usage errors', async () => {
      for (const args of [
        ['token', 'create'],
        ['token', 'create', '--principal', 'root', '--ttl', '1y'],
        ['token', 'create', '--principal', 'root', '--ttl', 'soon'],
        ['token', 'revoke'],
        ['token', 'list', 'extra'],
        ['principal', 'create'],
        ['principal', 'create', 'user/x', '--kind', 'robot'],
        ['principal', 'describe', 'a', 'b'],
        ['policy', 'get'],
        ['policy', 'put', 'p', '--if-match', 'abc'],
        ['policy', 'delete', 'p', '--bogus'],
      ]) {
        const run = await custos(args);
        expect({ args, code: run.code }).toEqual({ args, code: 2 });
      }
    });
  },
);
