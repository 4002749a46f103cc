import { z } from 'zod';
import { describeKey as describeService, tagKey as tagService } from '../../../service/index.js';
import { keyRef } from '../arn.js';
import { keyIdField, limitField, markerField } from '../fields.js';
import { tagList, tagListField, tagsRecord } from '../tags.js';
import { type AwsOperation, parseBody } from '../wire.js';

/** TrentService.TagResource. */
export const tagResource: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(z.object({ KeyId: keyIdField, Tags: tagListField }), body);
  await tagService(ctx, { keyId: keyRef(partition, input.KeyId), set: tagsRecord(input.Tags) });
  return {};
};

/** TrentService.UntagResource. */
export const untagResource: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(
    z.object({ KeyId: keyIdField, TagKeys: z.array(z.string()).max(50) }),
    body,
  );
  await tagService(ctx, { keyId: keyRef(partition, input.KeyId), remove: input.TagKeys });
  return {};
};

/** TrentService.ListResourceTags. */
export const listResourceTags: AwsOperation = async ({ ctx, partition }, body) => {
  const input = parseBody(
    z.object({ KeyId: keyIdField, Limit: limitField, Marker: markerField }),
    body,
  );
  const view = await describeService(ctx, { keyId: keyRef(partition, input.KeyId) });
  const tags = tagList(view.tags);
  const start = input.Marker === undefined ? 0 : Number(input.Marker) || 0;
  const end = start + (input.Limit ?? 50);
  return {
    Tags: tags.slice(start, end),
    Truncated: end < tags.length,
    ...(end < tags.length && { NextMarker: String(end) }),
  };
};
