import { randomUUID } from 'node:crypto';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const ALIAS_PREFIX = 'alias/';
// As AWS KMS: letters, digits, / _ -, at most 256 characters in all;
// `alias/aws/` is reserved there, and `alias/custos/` here.
const ALIAS_RE = /^alias\/[a-zA-Z0-9/_-]{1,250}$/;

export function newKeyId(): string {
  return randomUUID();
}

export function isKeyId(value: string): boolean {
  return UUID_RE.test(value);
}

export function isAliasName(value: string): boolean {
  return (
    ALIAS_RE.test(value) && !value.startsWith('alias/custos/') && !value.startsWith('alias/aws/')
  );
}
