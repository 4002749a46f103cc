import { isKeyId } from '../../core/ids.js';
import { NotFoundError } from '../../core/errors.js';

/** Where ARNs say the keys live (config `aws: {region, accountId}`). */
export interface AwsPartition {
  readonly region: string;
  readonly accountId: string;
}

export const DEFAULT_PARTITION: AwsPartition = { region: 'us-east-1', accountId: '111122223333' };

/**
 * The key ARN. The AWS Encryption SDK accepts only this exact shape and
 * compares Decrypt's KeyId with the ARN it asked for, so every KeyId in a
 * response is this, never a bare id.
 */
export const keyArn = (p: AwsPartition, keyId: string): string =>
  `arn:aws:kms:${p.region}:${p.accountId}:key/${keyId}`;

export const aliasArn = (p: AwsPartition, alias: string): string =>
  `arn:aws:kms:${p.region}:${p.accountId}:${alias}`;

const ARN_RE = /^arn:aws:kms:([a-z0-9-]+):(\d{12}):((?:key\/.+)|(?:alias\/.+))$/;

/**
 * A KeyId as AWS accepts it (key id, key ARN, alias name, alias ARN) as the
 * reference the service resolves: a key id or an alias name. An ARN of
 * another region or account names nothing here.
 */
export function keyRef(p: AwsPartition, keyId: string): string {
  if (!keyId.startsWith('arn:')) return keyId;
  const match = ARN_RE.exec(keyId);
  if (match?.[1] !== p.region || match[2] !== p.accountId) {
    throw new NotFoundError(`Invalid arn ${keyId}`);
  }
  const resource = match[3] ?? '';
  if (resource.startsWith('key/')) {
    const id = resource.slice('key/'.length);
    if (!isKeyId(id)) throw new NotFoundError(`Invalid arn ${keyId}`);
    return id;
  }
  return resource;
}
