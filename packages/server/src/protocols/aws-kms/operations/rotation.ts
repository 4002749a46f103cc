import { z } from 'zod';
import {
  describeKey as describeService,
  rotateKey as rotateService,
  setKeyRotation as setRotationService,
} from '../../../service/index.js';
import { keyArn, keyRef } from '../arn.js';
import { keyIdField, limitField, markerField } from '../fields.js';
import { type AwsOperation, epochSeconds, parseBody } from '../wire.js';

const keySchema = z.object({ KeyId: keyIdField });

/** TrentService.EnableKeyRotation: AWS's default period is 365 days. */
export const enableKeyRotation: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(
    z.object({
      KeyId: keyIdField,
      RotationPeriodInDays: z.number().int().min(90).max(2560).optional(),
    }),
    body,
  );
  await setRotationService(ctx, {
    keyId: keyRef(partition, input.KeyId),
    rotationPeriodDays: input.RotationPeriodInDays ?? 365,
  });
  return {};
};

/** TrentService.DisableKeyRotation. */
export const disableKeyRotation: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(keySchema, body);
  await setRotationService(ctx, {
    keyId: keyRef(partition, input.KeyId),
    rotationPeriodDays: null,
  });
  return {};
};

/** TrentService.GetKeyRotationStatus. */
export const getKeyRotationStatus: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(keySchema, body);
  const view = await describeService(ctx, { keyId: keyRef(partition, input.KeyId) });
  return {
    KeyId: keyArn(partition, view.keyId),
    KeyRotationEnabled: view.rotationPeriodDays !== null,
    ...(view.rotationPeriodDays !== null && { RotationPeriodInDays: view.rotationPeriodDays }),
    ...(view.nextRotationAt !== null && { NextRotationDate: epochSeconds(view.nextRotationAt) }),
  };
};

/** TrentService.RotateKeyOnDemand. */
export const rotateKeyOnDemand: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(keySchema, body);
  const view = await rotateService(ctx, { keyId: keyRef(partition, input.KeyId) });
  return { KeyId: keyArn(partition, view.keyId) };
};

/**
 * TrentService.ListKeyRotations: every version after the first is a
 * rotation. Custos does not record whether a rotation was scheduled or asked
 * for, so all are reported ON_DEMAND.
 */
export const listKeyRotations: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(
    z.object({ KeyId: keyIdField, Limit: limitField, Marker: markerField }),
    body,
  );
  const view = await describeService(ctx, { keyId: keyRef(partition, input.KeyId) });
  const rotations = view.versions
    .filter((version) => version.version > 1)
    .map((version) => ({
      KeyId: keyArn(partition, view.keyId),
      RotationDate: epochSeconds(version.createdAt),
      RotationType: 'ON_DEMAND',
    }));
  const start = input.Marker === undefined ? 0 : Number(input.Marker) || 0;
  const end = start + (input.Limit ?? 100);
  return {
    Rotations: rotations.slice(start, end),
    Truncated: end < rotations.length,
    ...(end < rotations.length && { NextMarker: String(end) }),
  };
};
