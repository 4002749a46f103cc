import { type KeyObject, diffieHellman, generateKeyPairSync } from 'node:crypto';
import { CryptoError } from './errors.js';
import { SecretBytes } from './secret-bytes.js';

export type EcdhCurve = 'P-256' | 'X25519';

/** A fresh key pair for ECDH on P-256 or X25519. */
export function generateEcdhKeyPair(curve: EcdhCurve): {
  privateKey: KeyObject;
  publicKey: KeyObject;
} {
  return curve === 'X25519'
    ? generateKeyPairSync('x25519')
    : generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

function curveOf(key: KeyObject): EcdhCurve | undefined {
  if (key.asymmetricKeyType === 'x25519') return 'X25519';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
    return 'P-256';
  }
  return undefined;
}

/**
 * The raw ECDH shared secret (the x-coordinate for P-256, RFC 7748 output for
 * X25519). Both keys must be on the same curve; the peer key is validated by
 * OpenSSL (point on curve; X25519 all-zero output rejected).
 */
export function ecdh(privateKey: KeyObject, peerPublicKey: KeyObject): SecretBytes {
  const curve = curveOf(privateKey);
  if (curve === undefined || curveOf(peerPublicKey) !== curve) {
    throw new CryptoError('INVALID_KEY', 'ECDH needs two keys on the same supported curve');
  }
  try {
    return SecretBytes.adopt(diffieHellman({ privateKey, publicKey: peerPublicKey }));
  } catch {
    throw new CryptoError('INVALID_KEY', 'ECDH failed for the given peer key');
  }
}
