import type { Action } from './actions.js';

/**
 * Per-key access: grants and key policies (the AWS KMS model), stored with
 * the key and honoured by the authorizer for every door alongside the
 * policies attached to principals (docs/policies.md, "Grants and key policies").
 */

/** Operations a grant may allow (AWS KMS `GrantOperation`, those Custos implements). */
export const GRANT_OPERATIONS = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:Sign',
  'kms:Verify',
  'kms:GetPublicKey',
  'kms:CreateGrant',
  'kms:RetireGrant',
  'kms:DescribeKey',
  'kms:GenerateDataKeyPair',
  'kms:GenerateDataKeyPairWithoutPlaintext',
  'kms:GenerateMac',
  'kms:VerifyMac',
] as const satisfies readonly Action[];
export type GrantOperation = (typeof GRANT_OPERATIONS)[number];

/**
 * The grant operations that take an encryption context: the only ones a
 * grant's constraints restrict (AWS KMS, GrantConstraints).
 */
export const CONTEXT_OPERATIONS: readonly Action[] = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:GenerateDataKeyPair',
  'kms:GenerateDataKeyPairWithoutPlaintext',
];

export interface GrantConstraints {
  /** The request's context must be exactly these pairs. */
  readonly encryptionContextEquals?: Readonly<Record<string, string>>;
  /** The request's context must include these pairs. */
  readonly encryptionContextSubset?: Readonly<Record<string, string>>;
}

export interface GrantRecord {
  /** 64 lower-case hex characters. */
  readonly grantId: string;
  readonly keyId: string;
  /** Optional name; a retry with the same name and parameters returns the same grant. */
  readonly name: string | null;
  /** The Custos principal id the grant allows. */
  readonly granteePrincipal: string;
  /** The Custos principal id that may retire the grant, if any. */
  readonly retiringPrincipal: string | null;
  /** Who created it. */
  readonly issuingPrincipal: string;
  readonly operations: readonly GrantOperation[];
  readonly constraints: GrantConstraints | null;
  readonly createdAt: Date;
}

/** Who a key policy statement names. */
export type KeyPolicyPrincipal =
  | { readonly type: 'principal'; readonly id: string }
  /** Every authenticated principal (AWS `"*"`). */
  | { readonly type: 'any' }
  /**
   * The account (`arn:aws:iam::<account>:root`): in an allow, it lets the
   * principals' own policies decide (AWS: delegation to IAM); in a deny, it
   * names every principal.
   */
  | { readonly type: 'account' };

/** `kms:EncryptionContext:<key>` under StringEquals (exact) or StringLike (`*` wildcards). */
export interface KeyPolicyContextCondition {
  readonly key: string;
  readonly match: 'equals' | 'like';
  /** Any one of them. */
  readonly values: readonly string[];
}

export interface KeyPolicyStatement {
  readonly sid?: string;
  readonly effect: 'allow' | 'deny';
  readonly principals: readonly KeyPolicyPrincipal[];
  /** `kms:` action patterns (`kms:Encrypt`, `kms:Generate*`, `kms:*`). */
  readonly actions: readonly string[];
  /** Every condition must hold. */
  readonly conditions: readonly KeyPolicyContextCondition[];
}

export interface KeyPolicy {
  readonly statements: readonly KeyPolicyStatement[];
}

export interface KeyPolicyRecord {
  readonly keyId: string;
  /** The document as it was put (AWS JSON), returned by GetKeyPolicy. */
  readonly text: string;
  /** What the authorizer decides by, translated from `text` when it was put. */
  readonly policy: KeyPolicy;
  readonly updatedAt: Date;
  /** Optimistic concurrency counter, bumped by every write. */
  readonly rowVersion: number;
}
