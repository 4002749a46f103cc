import { deriveKey } from '@custos/crypto';
import { type KeyObject, createPrivateKey } from 'node:crypto';

/** RFC 8410 PKCS#8 wrapping of a 32-byte Ed25519 seed. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * The signing key Vault derives from an ed25519 version for a context
 * (openbao keysutil DeriveKey, KeyType_ED25519): HKDF-SHA-256, empty salt,
 * the context as info, over the version's key as Go holds it (the 64 bytes
 * seed ‖ public key); the first 32 bytes out are the derived key's seed.
 * Given the same version material, Custos and Vault derive the same key, so
 * their (deterministic) signatures are the same bytes.
 */
export function derivedEd25519Key(pkcs8: Buffer, context: Buffer): KeyObject {
  const jwk = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({
    format: 'jwk',
  });
  const goKey = Buffer.concat([
    Buffer.from(jwk.d ?? '', 'base64url'),
    Buffer.from(jwk.x ?? '', 'base64url'),
  ]);
  const seed = deriveKey(goKey, context, 32);
  const der = Buffer.concat([ED25519_PKCS8_PREFIX, seed.bytes]);
  try {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } finally {
    goKey.fill(0);
    seed.zero();
    der.fill(0);
  }
}
