import {
  InvalidStateError,
  KeyDisabledError,
  KeyPendingDeletionError,
  KeyPendingImportError,
  type KmsError,
  NotFoundError,
} from './errors.js';
import type { KeyRecord, KeyState, KeyVersion } from './key.js';

export const MIN_DELETION_DAYS = 7;
export const MAX_DELETION_DAYS = 30;
export const DEFAULT_DELETION_DAYS = 30;

/** The error a key in a non-usable state gives for a cryptographic operation. */
export function unusableStateError(key: KeyRecord): KmsError | undefined {
  switch (key.state) {
    case 'Enabled':
      return undefined;
    case 'Disabled':
      return new KeyDisabledError(`key ${key.id} is disabled`);
    case 'PendingDeletion':
      return new KeyPendingDeletionError(`key ${key.id} is pending deletion`);
    case 'PendingImport':
      return new KeyPendingImportError(`key ${key.id} has no key material`);
    case 'Destroyed':
      return new NotFoundError(`key ${key.id} does not exist`);
  }
}

/** Precondition of every cryptographic operation: the key is Enabled. */
export function assertUsable(key: KeyRecord): void {
  const error = unusableStateError(key);
  if (error !== undefined) throw error;
}

/**
 * State changes that enable, disable and schedule-deletion may make. Leaving
 * PendingDeletion (cancel → Disabled) and PendingImport (import → Enabled)
 * happens only through those operations, never through enable or disable.
 */
const TRANSITIONS: Readonly<Record<KeyState, readonly KeyState[]>> = {
  Enabled: ['Disabled', 'PendingDeletion'],
  Disabled: ['Enabled', 'PendingDeletion'],
  PendingDeletion: ['Destroyed'],
  PendingImport: ['PendingDeletion'],
  Destroyed: [],
};

export function assertTransition(key: KeyRecord, to: KeyState): void {
  if (!TRANSITIONS[key.state].includes(to)) {
    throw new InvalidStateError(`key ${key.id} cannot go from ${key.state} to ${to}`, {
      details: { from: key.state, to },
    });
  }
}

/** Whether a version may encrypt or sign now. */
export function versionUsable(version: KeyVersion): boolean {
  return version.state === 'Enabled' && version.wrappedMaterial !== null;
}

/** Whether a version may decrypt or verify under the key's minimum version. */
export function versionDecrypts(key: KeyRecord, version: KeyVersion): boolean {
  return versionUsable(version) && version.version >= key.minDecryptionVersion;
}

export function addDays(from: Date, days: number): Date {
  return new Date(from.getTime() + days * 86_400_000);
}
