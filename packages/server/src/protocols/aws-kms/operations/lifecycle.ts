import { z } from 'zod';
import {
  cancelKeyDeletion as cancelService,
  disableKey as disableService,
  enableKey as enableService,
  scheduleKeyDeletion as scheduleService,
} from '../../../service/index.js';
import { keyArn, keyRef } from '../arn.js';
import { keyIdField } from '../fields.js';
import { type AwsOperation, epochSeconds, parseBody } from '../wire.js';

const keySchema = z.object({ KeyId: keyIdField });

/** TrentService.EnableKey. */
export const enableKey: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(keySchema, body);
  await enableService(ctx, { keyId: keyRef(partition, input.KeyId) });
  return {};
};

/** TrentService.DisableKey. */
export const disableKey: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(keySchema, body);
  await disableService(ctx, { keyId: keyRef(partition, input.KeyId) });
  return {};
};

const scheduleSchema = z.object({
  KeyId: keyIdField,
  PendingWindowInDays: z.number().int().min(7).max(30).optional(),
});

/** TrentService.ScheduleKeyDeletion: AWS's default window is 30 days. */
export const scheduleKeyDeletion: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(scheduleSchema, body);
  const days = input.PendingWindowInDays ?? 30;
  const view = await scheduleService(ctx, {
    keyId: keyRef(partition, input.KeyId),
    pendingWindowDays: days,
  });
  return {
    KeyId: keyArn(partition, view.keyId),
    ...(view.deletionDate !== null && { DeletionDate: epochSeconds(view.deletionDate) }),
    KeyState: view.state,
    PendingWindowInDays: days,
  };
};

/** TrentService.CancelKeyDeletion: the key comes back Disabled, as in AWS. */
export const cancelKeyDeletion: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(keySchema, body);
  const view = await cancelService(ctx, { keyId: keyRef(partition, input.KeyId) });
  return { KeyId: keyArn(partition, view.keyId) };
};
