import { z } from 'zod';
import {
  getKeyPolicy as getKeyPolicyService,
  listKeyPolicies as listKeyPoliciesService,
  putKeyPolicy as putKeyPolicyService,
} from '../../../service/index.js';
import { type AwsPartition, keyRef } from '../arn.js';
import { keyIdField } from '../fields.js';
import { translateKeyPolicy } from '../key-policy-document.js';
import { accountArn } from '../principal-arn.js';
import { type AwsOperation, parseBody } from '../wire.js';

/**
 * AWS's default key policy: the account may do everything, which AWS reads
 * as "IAM policies decide" and Custos as "the principals' own policies
 * decide". A key that was never given a policy behaves exactly so.
 */
function defaultPolicy(p: AwsPartition): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: accountArn(p) },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  });
}

const policyName = z.literal('default');
const getSchema = z.object({ KeyId: keyIdField, PolicyName: policyName.optional() });

/** TrentService.GetKeyPolicy: the policy as it was put, or AWS's default one. */
export const getKeyPolicy: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(getSchema, body);
  const out = await getKeyPolicyService(ctx, { keyId: keyRef(partition, input.KeyId) });
  return { Policy: out.record?.text ?? defaultPolicy(partition), PolicyName: 'default' };
};

/** TrentService.ListKeyPolicies: always the one `default` policy, as AWS. */
export const listKeyPolicies: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(
    z.object({
      KeyId: keyIdField,
      Limit: z.number().int().min(1).max(1000).optional(),
      Marker: z.string().optional(),
    }),
    body,
  );
  const out = await listKeyPoliciesService(ctx, { keyId: keyRef(partition, input.KeyId) });
  return { PolicyNames: out.names, Truncated: false };
};

const putSchema = z.object({
  KeyId: keyIdField,
  Policy: z.string().min(1).max(32768),
  PolicyName: policyName.optional(),
  BypassPolicyLockoutSafetyCheck: z.boolean().optional(),
});

/**
 * TrentService.PutKeyPolicy: the document is translated here (what Custos
 * cannot enforce is MalformedPolicyDocumentException) and stored with its
 * meaning; every door honours it.
 */
export const putKeyPolicy: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(putSchema, body);
  const keyId = keyRef(partition, input.KeyId);
  const policy = translateKeyPolicy(partition, keyId, input.Policy);
  await putKeyPolicyService(ctx, { keyId, text: input.Policy, policy });
  return {};
};
