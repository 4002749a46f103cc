import { InvalidInputError, needs } from '../core/errors.js';

// The AAD strings below are part of the stored format (docs/formats.md): changing
// one makes every wrapped version or secret unreadable.

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

/** Binds wrapped material to its key and version, so rows cannot be swapped in the store. */
export function versionAad(keyId: string, version: number): Buffer {
  needs(keyId.length > 0, () => new InvalidInputError('key id must not be empty'));
  needs(
    Number.isSafeInteger(version) && version >= 0,
    () => new InvalidInputError('key version must be a non-negative integer'),
  );
  return utf8(`custos:key-version:v1:${keyId}:${version}`);
}

/** Binds a wrapped secret to what it is for. */
export function secretAad(purpose: string): Buffer {
  needs(purpose.length > 0, () => new InvalidInputError('secret purpose must not be empty'));
  return utf8(`custos:secret:v1:${purpose}`);
}

/** HMAC input for the non-secret domain key id. */
export const DOMAIN_KEY_ID_LABEL = utf8('custos:domain-key-id');
