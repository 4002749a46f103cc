import type { AwsPartition } from './arn.js';
import { validation } from './aws-errors.js';

/**
 * Custos principals in AWS's principal ARN form, so GranteePrincipal,
 * RetiringPrincipal and key policy principals name them:
 * `arn:aws:iam::<account>:<principal id>`, e.g. `user/alice` is
 * `arn:aws:iam::111122223333:user/alice` (an IAM user ARN's shape) and
 * `service/billing` is `arn:aws:iam::111122223333:service/billing`. The
 * account's root ARN, `arn:aws:iam::<account>:root`, is the account itself
 * (the root principal, where one principal is meant).
 */
export const accountArn = (p: AwsPartition): string => `arn:aws:iam::${p.accountId}:root`;

export function principalArn(p: AwsPartition, principalId: string): string {
  return principalId === 'root' ? accountArn(p) : `arn:aws:iam::${p.accountId}:${principalId}`;
}

const ARN_RE = /^arn:aws:(?:iam|sts)::(\d{12}):(.+)$/;

export type NamedPrincipal =
  { readonly type: 'account' } | { readonly type: 'principal'; readonly id: string };

/**
 * What an ARN (or, for convenience, a bare Custos principal id) names, or
 * undefined for another account's ARN or something that is not one.
 */
export function principalOf(p: AwsPartition, text: string): NamedPrincipal | undefined {
  if (text === p.accountId) return { type: 'account' };
  if (!text.startsWith('arn:')) {
    return /^[\x21-\x7e]{1,512}$/.test(text) && text !== 'anonymous'
      ? { type: 'principal', id: text }
      : undefined;
  }
  const match = ARN_RE.exec(text);
  if (match?.[1] !== p.accountId) return undefined;
  const resource = match[2] ?? '';
  if (resource === 'root') return { type: 'account' };
  // Unauthenticated callers are nobody a grant or key policy can name.
  return resource === 'anonymous' ? undefined : { type: 'principal', id: resource };
}

/** A grantee or retiring principal: one principal (the account ARN is root). */
export function grantPrincipal(p: AwsPartition, text: string, field: string): string {
  const named = principalOf(p, text);
  if (named === undefined) {
    throw validation(
      `${field} ${text.slice(0, 256)} is not a principal of account ${p.accountId}: use arn:aws:iam::${p.accountId}:<principal id>`,
    );
  }
  return named.type === 'account' ? 'root' : named.id;
}
