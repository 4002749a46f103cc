import { createPublicKey } from 'node:crypto';
import type { RequestContext } from '../../service/context.js';
import { getPublicKey } from '../../service/index.js';
import { VAULT_ATTRIBUTES, type VaultKeyView } from '../../service/vault/index.js';
import { typeOfKey } from './key-types.js';

/**
 * Vault's convergent scheme 3 derives the nonce by HMAC under a derived key;
 * Custos does the same, with the associated data MACed too (docs/formats.md).
 */
const CONVERGENT_VERSION = 3;

/** Vault's public key form: PEM SPKI, except ed25519's raw 32 bytes in base64. */
function publicKeyText(der: Buffer, ed25519: boolean): string {
  const key = createPublicKey({ key: der, format: 'der', type: 'spki' });
  if (ed25519) {
    const { x } = key.export({ format: 'jwk' });
    return Buffer.from(x ?? '', 'base64url').toString('base64');
  }
  return key.export({ format: 'pem', type: 'spki' }).toString();
}

/**
 * The `data` of Vault's `GET transit/keys/:name` (openbao path_keys.go,
 * pathPolicyRead): versions → creation time (symmetric) or public keys.
 */
export async function vaultKeyJson(
  ctx: RequestContext,
  name: string,
  view: VaultKeyView,
  derivedKeys?: ReadonlyMap<number, Buffer>,
) {
  const attr = view.attributes;
  const derived = attr[VAULT_ATTRIBUTES.derived] === 'true';
  const convergent = derived && attr[VAULT_ATTRIBUTES.convergent] === 'true';
  const minAvailable = Number(attr[VAULT_ATTRIBUTES.minAvailableVersion] ?? '0');
  const type = typeOfKey(view.spec, attr[VAULT_ATTRIBUTES.type]);
  const keys: Record<string, unknown> = {};
  for (const version of view.versions) {
    if (version.state === 'Destroyed' || version.version < minAvailable) continue;
    const created = version.createdAt;
    if (type?.publicName === undefined) {
      keys[version.version.toString()] = Math.floor(created.getTime() / 1000);
      continue;
    }
    if (derived) {
      // A derived ed25519 key's base public key is half its HKDF key: Vault
      // shows none, or with `?context=` the one derived for that context.
      const spki = derivedKeys?.get(version.version);
      keys[version.version.toString()] = {
        creation_time: created.toISOString(),
        name: type.publicName,
        public_key: spki === undefined ? '' : publicKeyText(spki, true),
      };
      continue;
    }
    const pub = await getPublicKey(ctx, { keyId: view.keyId, keyVersion: version.version });
    keys[version.version.toString()] = {
      creation_time: created.toISOString(),
      name: type.publicName,
      public_key: publicKeyText(pub.publicKey, type.name === 'ed25519'),
    };
  }
  const encryption = type?.encryption ?? false;
  return {
    name,
    type: type?.name ?? view.spec,
    custos_key_id: view.keyId,
    deletion_allowed: attr[VAULT_ATTRIBUTES.deletionAllowed] === 'true',
    derived,
    ...(derived && {
      kdf: 'hkdf_sha256',
      convergent_encryption: convergent,
      ...(convergent && { convergent_encryption_version: CONVERGENT_VERSION }),
    }),
    exportable: view.exportable,
    allow_plaintext_backup: attr[VAULT_ATTRIBUTES.allowPlaintextBackup] === 'true',
    imported_key: view.origin === 'EXTERNAL',
    ...(view.origin === 'EXTERNAL' && {
      imported_key_allow_rotation: attr[VAULT_ATTRIBUTES.allowRotation] === 'true',
    }),
    keys,
    latest_version: view.primaryVersion,
    min_available_version: minAvailable,
    min_decryption_version: view.minDecryptionVersion,
    min_encryption_version: Number(attr[VAULT_ATTRIBUTES.minEncryptionVersion] ?? '0'),
    auto_rotate_period: (view.rotationPeriodDays ?? 0) * 86_400,
    supports_encryption: encryption,
    supports_decryption: encryption,
    supports_derivation: encryption || type?.name === 'ed25519',
    supports_signing: type?.signing ?? false,
  };
}
