/**
 * The one error hierarchy of Custos. Every failure that crosses a layer is a
 * KmsError with a stable code; each protocol front-end maps codes with one
 * table typed `Record<ErrorCode, …>`, so a new code fails the build until
 * every door handles it. docs/errors.md lists them; a test keeps both equal.
 */
export const ERROR_CODES = [
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'INVALID_INPUT',
  'INVALID_STATE',
  'KEY_DISABLED',
  'KEY_PENDING_DELETION',
  'KEY_PENDING_IMPORT',
  'INVALID_KEY_USAGE',
  'UNSUPPORTED',
  'INVALID_CIPHERTEXT',
  'INVALID_SIGNATURE',
  'INVALID_MAC',
  'INVALID_IMPORT_TOKEN',
  'EXPIRED_IMPORT_TOKEN',
  'INCORRECT_KEY_MATERIAL',
  'ACCESS_DENIED',
  'UNAUTHENTICATED',
  'SEALED',
  'CONFLICT',
  'LIMIT_EXCEEDED',
  'THROTTLED',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface KmsErrorOptions {
  readonly details?: Readonly<Record<string, string | number | boolean>>;
  readonly cause?: unknown;
}

export class KmsError extends Error {
  override readonly name: string = 'KmsError';
  readonly details: Readonly<Record<string, string | number | boolean>>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: KmsErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.details = options.details ?? {};
  }
}

function errorClass(code: ErrorCode, name: string) {
  return class extends KmsError {
    override readonly name = name;
    constructor(message: string, options?: KmsErrorOptions) {
      super(code, message, options);
    }
  };
}

export const NotFoundError = errorClass('NOT_FOUND', 'NotFoundError');
export const AlreadyExistsError = errorClass('ALREADY_EXISTS', 'AlreadyExistsError');
export const InvalidInputError = errorClass('INVALID_INPUT', 'InvalidInputError');
export const InvalidStateError = errorClass('INVALID_STATE', 'InvalidStateError');
export const KeyDisabledError = errorClass('KEY_DISABLED', 'KeyDisabledError');
export const KeyPendingDeletionError = errorClass(
  'KEY_PENDING_DELETION',
  'KeyPendingDeletionError',
);
export const KeyPendingImportError = errorClass('KEY_PENDING_IMPORT', 'KeyPendingImportError');
export const InvalidKeyUsageError = errorClass('INVALID_KEY_USAGE', 'InvalidKeyUsageError');
export const UnsupportedError = errorClass('UNSUPPORTED', 'UnsupportedError');
export const InvalidSignatureError = errorClass('INVALID_SIGNATURE', 'InvalidSignatureError');
export const InvalidMacError = errorClass('INVALID_MAC', 'InvalidMacError');
export const InvalidImportTokenError = errorClass(
  'INVALID_IMPORT_TOKEN',
  'InvalidImportTokenError',
);
export const ExpiredImportTokenError = errorClass(
  'EXPIRED_IMPORT_TOKEN',
  'ExpiredImportTokenError',
);
export const IncorrectKeyMaterialError = errorClass(
  'INCORRECT_KEY_MATERIAL',
  'IncorrectKeyMaterialError',
);
export const AccessDeniedError = errorClass('ACCESS_DENIED', 'AccessDeniedError');
export const UnauthenticatedError = errorClass('UNAUTHENTICATED', 'UnauthenticatedError');
export const SealedError = errorClass('SEALED', 'SealedError');
export const ConflictError = errorClass('CONFLICT', 'ConflictError');
export const LimitExceededError = errorClass('LIMIT_EXCEEDED', 'LimitExceededError');
export const ThrottledError = errorClass('THROTTLED', 'ThrottledError');
export const UnavailableError = errorClass('UNAVAILABLE', 'UnavailableError');
export const InternalError = errorClass('INTERNAL', 'InternalError');

/**
 * The single decryption failure: whatever went wrong (unknown key, wrong
 * context, tampering, disabled version), callers learn only this.
 */
export class InvalidCiphertextError extends KmsError {
  override readonly name = 'InvalidCiphertextError';
  constructor() {
    super(
      'INVALID_CIPHERTEXT',
      'the ciphertext is invalid or was not made for this key and context',
    );
  }
}

export function isKmsError(error: unknown): error is KmsError {
  return error instanceof KmsError;
}

/**
 * `needs(condition, () => new XError(...))`: an invariant check that throws a
 * typed error, written where the invariant holds.
 */
export function needs(condition: boolean, error: () => KmsError): asserts condition {
  if (!condition) throw error();
}
