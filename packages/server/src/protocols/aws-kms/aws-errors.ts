import type { ErrorCode } from '../../core/errors.js';

/** An error as the AWS KMS JSON protocol returns it: `{"__type","message"}` and a status. */
export interface AwsErrorShape {
  readonly type: string;
  readonly status: number;
}

/**
 * Custos codes to AWS KMS exceptions (AWS KMS API reference, "Errors" of
 * each action). AWS answers client faults with 400 and its own faults with
 * 500; a sealed server is KMSInternalException (500, so SDKs retry while an
 * operator unseals), a store or audit sink that does not answer is
 * DependencyTimeoutException (503).
 */
export const AWS_ERRORS = {
  NOT_FOUND: { type: 'NotFoundException', status: 400 },
  ALREADY_EXISTS: { type: 'AlreadyExistsException', status: 400 },
  INVALID_INPUT: { type: 'ValidationException', status: 400 },
  INVALID_STATE: { type: 'KMSInvalidStateException', status: 400 },
  KEY_DISABLED: { type: 'DisabledException', status: 400 },
  KEY_PENDING_DELETION: { type: 'KMSInvalidStateException', status: 400 },
  KEY_PENDING_IMPORT: { type: 'KMSInvalidStateException', status: 400 },
  INVALID_KEY_USAGE: { type: 'InvalidKeyUsageException', status: 400 },
  UNSUPPORTED: { type: 'UnsupportedOperationException', status: 400 },
  INVALID_CIPHERTEXT: { type: 'InvalidCiphertextException', status: 400 },
  INVALID_SIGNATURE: { type: 'KMSInvalidSignatureException', status: 400 },
  INVALID_MAC: { type: 'KMSInvalidMacException', status: 400 },
  INVALID_IMPORT_TOKEN: { type: 'InvalidImportTokenException', status: 400 },
  EXPIRED_IMPORT_TOKEN: { type: 'ExpiredImportTokenException', status: 400 },
  INCORRECT_KEY_MATERIAL: { type: 'IncorrectKeyMaterialException', status: 400 },
  ACCESS_DENIED: { type: 'AccessDeniedException', status: 400 },
  UNAUTHENTICATED: { type: 'UnrecognizedClientException', status: 400 },
  SEALED: { type: 'KMSInternalException', status: 500 },
  CONFLICT: { type: 'ConflictException', status: 400 },
  LIMIT_EXCEEDED: { type: 'LimitExceededException', status: 400 },
  THROTTLED: { type: 'ThrottlingException', status: 400 },
  UNAVAILABLE: { type: 'DependencyTimeoutException', status: 503 },
  INTERNAL: { type: 'KMSInternalException', status: 500 },
} as const satisfies Record<ErrorCode, AwsErrorShape>;

/**
 * A failure only this door knows (the wire, SigV4, unknown actions), thrown
 * with AWS's own exception name and status.
 */
export class AwsProtocolError extends Error {
  override readonly name = 'AwsProtocolError';
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export const missingToken = () =>
  new AwsProtocolError('MissingAuthenticationTokenException', 'Missing Authentication Token');
export const incompleteSignature = (message: string) =>
  new AwsProtocolError('IncompleteSignatureException', message);
export const invalidSignature = (message: string) =>
  new AwsProtocolError('InvalidSignatureException', message);
export const validation = (message: string) => new AwsProtocolError('ValidationException', message);
