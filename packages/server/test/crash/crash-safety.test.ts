import Database from 'better-sqlite3';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT_PRINCIPAL } from '../../src/core/principal.js';
import { DevFileSeal } from '../../src/seal/dev-file-seal.js';
import { Keyring } from '../../src/seal/keyring.js';
import { createKms } from '../../src/service/kms.js';
import { decrypt } from '../../src/service/decrypt.js';
import { unsealKms } from '../../src/service/seal-state.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const KILLS = 24;
const worker = new URL('./crash-worker.mjs', import.meta.url).pathname;

interface Acked {
  readonly ciphertext: string;
  readonly plaintext: string;
  readonly context: Record<string, string>;
}

/** Runs the worker until a random moment after it is ready, then SIGKILLs it. */
function runAndKill(dir: string, onLine: (line: Record<string, unknown>) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [worker, dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      if (parsed.ready === true) {
        setTimeout(() => child.kill('SIGKILL'), 20 + Math.random() * 300);
      } else {
        onLine(parsed);
      }
    });
    child.on('exit', (code, signal) => {
      lines.close();
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`worker exited ${String(code)}: ${stderr}`));
    });
  });
}

describe('crash safety', () => {
  const dir = mkdtempSync(join(tmpdir(), 'custos-crash-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it(`survives ${String(KILLS)} SIGKILLs with every acknowledged key and ciphertext intact`, async () => {
    const createdKeys = new Set<string>();
    const acked: Acked[] = [];
    for (let round = 0; round < KILLS; round += 1) {
      await runAndKill(dir, (line) => {
        if (typeof line.created === 'string') createdKeys.add(line.created);
        if (typeof line.encrypted === 'string') acked.push(line as unknown as Acked);
      });

      const db = new Database(join(dir, 'custos.db'));
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();

      const store = await openSqliteStore({ path: join(dir, 'custos.db') });
      const kms = createKms({ store, keyring: new Keyring() });
      await unsealKms(kms, await DevFileSeal.open(join(dir, 'root.key')));
      const ctx = { kms, principal: ROOT_PRINCIPAL, requestId: 'verify' };
      for (const keyId of createdKeys) expect(await store.getKey(keyId)).toBeDefined();
      for (const a of acked) {
        const out = await decrypt(ctx, {
          ciphertext: Buffer.from(a.ciphertext, 'base64'),
          encryptionContext: a.context,
        });
        expect(out.plaintext.bytes.toString('base64')).toBe(a.plaintext);
      }
      await store.close();
      kms.keyring.seal();
    }
    expect(createdKeys.size).toBeGreaterThan(KILLS);
    expect(acked.length).toBeGreaterThan(KILLS);
  }, 240_000);
});
