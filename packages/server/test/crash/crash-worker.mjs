// Child process for the crash-safety test: creates keys, rotates and encrypts
// in a loop, printing an acknowledgement line after each operation returns.
// Writes to a pipe are synchronous on Linux, so a line the parent reads was
// printed before the next operation began. The parent SIGKILLs it at random.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT_PRINCIPAL } from '../../dist/core/principal.js';
import { DevFileSeal } from '../../dist/seal/dev-file-seal.js';
import { Keyring } from '../../dist/seal/keyring.js';
import {
  createKey,
  createKms,
  encrypt,
  initializeKms,
  rotateKey,
  unsealKms,
} from '../../dist/service/index.js';
import { openSqliteStore } from '../../dist/store/sqlite/sqlite-store.js';

const dir = process.argv[2];
const sealPath = join(dir, 'root.key');
const fresh = !existsSync(sealPath);
const store = await openSqliteStore({ path: join(dir, 'custos.db') });
const kms = createKms({ store, keyring: new Keyring() });
if (fresh) await initializeKms(kms, await DevFileSeal.create(sealPath));
else await unsealKms(kms, await DevFileSeal.open(sealPath));
const ctx = { kms, principal: ROOT_PRINCIPAL, requestId: 'crash' };
const ack = (fields) => process.stdout.write(`${JSON.stringify(fields)}\n`);
ack({ ready: true });

const keys = [];
for (;;) {
  const roll = Math.random();
  if (keys.length === 0 || roll < 0.2) {
    const key = await createKey(ctx, { spec: 'AES_256', tags: { run: String(process.pid) } });
    keys.push(key.keyId);
    ack({ created: key.keyId });
  } else if (roll < 0.3) {
    const keyId = keys[Math.floor(Math.random() * keys.length)];
    const key = await rotateKey(ctx, { keyId });
    ack({ rotated: keyId, version: key.primaryVersion });
  } else {
    const keyId = keys[Math.floor(Math.random() * keys.length)];
    const plaintext = randomBytes(1 + Math.floor(Math.random() * 256));
    const context = { n: String(Math.random()) };
    const out = await encrypt(ctx, { keyId, plaintext, encryptionContext: context });
    ack({
      encrypted: keyId,
      ciphertext: out.ciphertext.toString('base64'),
      plaintext: plaintext.toString('base64'),
      context,
    });
  }
}
