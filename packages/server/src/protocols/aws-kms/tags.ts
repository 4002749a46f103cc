import { z } from 'zod';
import type { Tags } from '../../core/key.js';

/** AWS tags are a list of {TagKey, TagValue}; Custos keeps a record. */
export const tagListField = z
  .array(z.object({ TagKey: z.string().min(1).max(128), TagValue: z.string().max(256) }))
  .max(50);

export function tagsRecord(list: z.infer<typeof tagListField>): Tags {
  return Object.fromEntries(list.map((tag) => [tag.TagKey, tag.TagValue]));
}

export function tagList(tags: Tags): { TagKey: string; TagValue: string }[] {
  return Object.entries(tags)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
}
