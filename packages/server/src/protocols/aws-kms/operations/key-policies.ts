import { z } from 'zod';
import { UnsupportedError } from '../../../core/errors.js';
import { describeKey as describeService } from '../../../service/index.js';
import { type AwsPartition, keyRef } from '../arn.js';
import { keyIdField } from '../fields.js';
import { type AwsOperation, parseBody } from '../wire.js';

/**
 * Custos decides access by its own policies (attached to principals), not
 * by per-key documents. A key's AWS policy is therefore reported as AWS's
 * default key policy (the account may do everything), which is what a
 * Custos policy allowing `kms:*` on the key means; writing one is refused.
 */
function defaultPolicy(p: AwsPartition): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${p.accountId}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  });
}

const policySchema = z.object({ KeyId: keyIdField, PolicyName: z.literal('default').optional() });

/** TrentService.GetKeyPolicy. */
export const getKeyPolicy: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(policySchema, body);
  await describeService(ctx, { keyId: keyRef(partition, input.KeyId) });
  return { Policy: defaultPolicy(partition), PolicyName: 'default' };
};

/** TrentService.ListKeyPolicies: always the one `default` policy, as AWS. */
export const listKeyPolicies: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(
    z.object({ KeyId: keyIdField, Limit: z.number().optional(), Marker: z.string().optional() }),
    body,
  );
  await describeService(ctx, { keyId: keyRef(partition, input.KeyId) });
  return { PolicyNames: ['default'], Truncated: false };
};

/** TrentService.PutKeyPolicy: refused; Custos policies (REST /api/v1/policies) decide access. */
export const putKeyPolicy: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(
    z.object({
      KeyId: keyIdField,
      Policy: z.string().min(1).max(32768),
      PolicyName: z.string().optional(),
    }),
    body,
  );
  await describeService(ctx, { keyId: keyRef(partition, input.KeyId) });
  throw new UnsupportedError(
    'key policies are not supported; grant access with Custos policies (PUT /api/v1/policies/{name})',
  );
};
