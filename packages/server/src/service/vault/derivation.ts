import {
  type EncryptionContext,
  MAX_DERIVATION_CONTEXT_BYTES,
  type SecretBytes,
  deriveKey,
} from '@custos/crypto';
import { InvalidInputError } from '../../core/errors.js';
import type { KeyRecord } from '../../core/key.js';
import { VAULT_ATTRIBUTES } from './vault-key.js';

/**
 * The encryption-context entry that carries a Vault `context` (base64): the
 * derivation context of a derived key. It is reserved on every door: it
 * selects the key derived for that context and is never part of the AAD (a
 * wrong context already fails, since it derives another key), so a
 * non-derived key ignores it, as Vault ignores `context` on such keys.
 */
export const DERIVATION_CONTEXT_KEY = 'vault:context';

/** Vault's own words (openbao keysutil DeriveKey), which clients may match on. */
const MISSING_CONTEXT =
  "missing 'context' for key derivation; the key was created using a derived key, which means " +
  'additional, per-request information must be included in order to perform operations with the key';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export interface KeyDerivation {
  /** Each request's context derives its own key (HKDF-SHA-256, Vault's `derived`). */
  readonly derived: boolean;
  /** The nonce is derived from the message, so equal input gives equal ciphertext. */
  readonly convergent: boolean;
}

/** How a key derives: recorded at creation in its attributes, never changed after. */
export function keyDerivation(key: KeyRecord): KeyDerivation {
  const derived = key.attributes[VAULT_ATTRIBUTES.derived] === 'true';
  return { derived, convergent: derived && key.attributes[VAULT_ATTRIBUTES.convergent] === 'true' };
}

/** The context as AAD: everything but the derivation context entry. */
export function aadContext(context: EncryptionContext | undefined): EncryptionContext | undefined {
  if (context === undefined || !Object.hasOwn(context, DERIVATION_CONTEXT_KEY)) return context;
  return Object.fromEntries(
    Object.entries(context).filter(([name]) => name !== DERIVATION_CONTEXT_KEY),
  );
}

/** The derivation context's bytes; a derived key without one is refused as Vault refuses it. */
export function derivationContext(context: EncryptionContext | undefined): Buffer {
  const text = context?.[DERIVATION_CONTEXT_KEY];
  if (text === undefined || text === '') throw new InvalidInputError(MISSING_CONTEXT);
  if (!BASE64.test(text)) throw new InvalidInputError('context must be base64');
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length > MAX_DERIVATION_CONTEXT_BYTES) {
    throw new InvalidInputError(
      `context must be at most ${String(MAX_DERIVATION_CONTEXT_BYTES)} bytes`,
    );
  }
  return bytes;
}

/**
 * The context of a derived signing key's request (bytes, as the door
 * decoded them); a derived key without one is refused as Vault refuses it.
 */
export function signingContext(context: Uint8Array | undefined): Buffer {
  if (context === undefined || context.length === 0) throw new InvalidInputError(MISSING_CONTEXT);
  if (context.length > MAX_DERIVATION_CONTEXT_BYTES) {
    throw new InvalidInputError(
      `context must be at most ${String(MAX_DERIVATION_CONTEXT_BYTES)} bytes`,
    );
  }
  return Buffer.from(context);
}

/**
 * The key a derived version encrypts with for `context`: HKDF-SHA-256 of the
 * version's material (openbao keysutil DeriveKey), `keyLength` bytes, plus 32
 * more for the convergent nonce key when `convergent`. The caller zeroes it.
 */
export function derivedKeyFor(
  material: Uint8Array,
  context: Buffer,
  keyLength: number,
  convergent: boolean,
): SecretBytes {
  return deriveKey(material, context, keyLength + (convergent ? 32 : 0));
}
