import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { InvalidInputError } from '../../core/errors.js';

/** Vault's `format` of an export: '' (the type's default), raw, der or pem. */
export const EXPORT_FORMATS = ['', 'raw', 'der', 'pem'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const wrongFormat = (kind: string, allowed: string) =>
  new InvalidInputError(`unknown key format for ${kind} key; supported values are ${allowed}`);

/** Symmetric material (encryption and HMAC keys): base64, default or raw only. */
export function encodeSymmetric(material: Buffer, format: ExportFormat): string {
  if (format === 'der' || format === 'pem') throw wrongFormat('symmetric', '`` or `raw`');
  return material.toString('base64');
}

/**
 * A private key as openbao's path_export.go writes it: by default EC keys
 * as SEC 1 PEM and RSA keys as PKCS#1 PEM, ed25519 keys as the 64 raw bytes
 * (seed ‖ public key) in base64; `der`/`pem` give PKCS#8. EC and ed25519 PEM
 * is trimmed, RSA PEM keeps its final newline, as there.
 */
export function encodePrivate(pkcs8: Buffer, format: ExportFormat): string {
  const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  const type = key.asymmetricKeyType;
  if (type === 'ed25519') {
    if (format === '' || format === 'raw') return ed25519Raw(key);
    return pkcs8Form(key, format, true);
  }
  if (format === 'raw') throw wrongFormat(type === 'rsa' ? 'rsa' : 'ec', '``, `der`, or `pem`');
  if (format === 'der' || format === 'pem') return pkcs8Form(key, format, type !== 'rsa');
  if (type === 'rsa') return key.export({ format: 'pem', type: 'pkcs1' }).toString();
  return key.export({ format: 'pem', type: 'sec1' }).toString().trim();
}

/** A public key as openbao writes it: PEM SPKI (ed25519 raw base64 by default). */
export function encodePublic(spki: Buffer, format: ExportFormat): string {
  const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  const type = key.asymmetricKeyType;
  if (type === 'ed25519' && (format === '' || format === 'raw')) {
    return Buffer.from(key.export({ format: 'jwk' }).x ?? '', 'base64url').toString('base64');
  }
  if (format === 'raw') throw wrongFormat(type === 'rsa' ? 'rsa' : 'ec', '``, `der`, or `pem`');
  if (format === 'der') return key.export({ format: 'der', type: 'spki' }).toString('base64');
  const pem = key.export({ format: 'pem', type: 'spki' }).toString();
  return type === 'rsa' ? pem : pem.trim();
}

function ed25519Raw(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  const seed = Buffer.from(jwk.d ?? '', 'base64url');
  const pub = Buffer.from(jwk.x ?? '', 'base64url');
  try {
    return Buffer.concat([seed, pub]).toString('base64');
  } finally {
    seed.fill(0);
  }
}

function pkcs8Form(key: KeyObject, format: 'der' | 'pem', trim: boolean): string {
  if (format === 'der') return key.export({ format: 'der', type: 'pkcs8' }).toString('base64');
  const pem = key.export({ format: 'pem', type: 'pkcs8' }).toString();
  return trim ? pem.trim() : pem;
}
