import { KEY_SPEC_NAMES, KEY_USAGES } from '@custos/crypto';
import { z } from 'zod';
import { KEY_STATES } from '../../core/key.js';
import {
  createKey,
  describeKey,
  getKeyUsage,
  listKeys,
  setKeyRotation,
  tagKey,
  updateKeyDescription,
  updateKeySettings,
  type KeyView,
} from '../../service/index.js';
import { isoDate, isoOrNull, keyParams, keyRef, pageCursor, pageLimit, tags } from './json.js';
import { keyViewJson, renderKeyView } from './key-view-json.js';
import { jsonOperation, keyRoute, operationRoute, type AnyJsonOperation } from './operation.js';
import { defineRoute, type RestRoute } from './route.js';

const TAG = 'Keys';
const rotationPeriodDays = z.number().int().nullable().meta({
  description: 'Automatic rotation period in days; null for manual rotation only',
});

const createKeyBody = z.strictObject({
  spec: z.enum(KEY_SPEC_NAMES).optional(),
  usage: z.enum(KEY_USAGES).optional(),
  origin: z.enum(['CUSTOS', 'EXTERNAL']).optional(),
  description: z.string().max(8192).optional(),
  tags: tags.optional(),
  alias: z.string().max(256).optional(),
  exportable: z.boolean().optional(),
  rotationPeriodDays: rotationPeriodDays.optional(),
});

const render = (view: Promise<KeyView>) => view.then(renderKeyView);

export const createKeyOperation = jsonOperation({
  name: 'createKey',
  summary: 'Create a key',
  tag: TAG,
  input: createKeyBody,
  output: keyViewJson,
  status: 201,
  run: (ctx, input) => render(createKey(ctx, input)),
});

const listKeysQuery = z.strictObject({
  state: z.enum(KEY_STATES).optional(),
  tagKey: z.string().max(128).optional(),
  tagValue: z.string().max(256).optional(),
  aliasPrefix: z.string().max(256).optional(),
  limit: pageLimit,
  cursor: pageCursor,
});
const keySummaryJson = z
  .strictObject({
    keyId: z.uuid(),
    spec: z.string(),
    usage: z.string(),
    state: z.enum(KEY_STATES),
    description: z.string(),
  })
  .meta({ id: 'KeySummary' });

export const listKeysOperation = jsonOperation({
  name: 'listKeys',
  summary: 'List keys, a page at a time',
  tag: TAG,
  input: listKeysQuery,
  output: z.strictObject({ keys: z.array(keySummaryJson), nextCursor: z.string().nullable() }),
  run: (ctx, input) => listKeys(ctx, input),
});

const keyOnly = z.strictObject({ keyId: keyRef });

export const describeKeyOperation = jsonOperation({
  name: 'describeKey',
  summary: 'Describe a key',
  tag: TAG,
  input: keyOnly,
  output: keyViewJson,
  run: (ctx, input) => render(describeKey(ctx, input)),
});

export const getKeyUsageOperation = jsonOperation({
  name: 'getKeyUsage',
  summary: "A key's last use and its requests per operation on this node",
  tag: TAG,
  input: keyOnly,
  output: z.strictObject({
    keyId: z.uuid(),
    lastUsedAt: isoDate.nullable(),
    operations: z.record(z.string(), z.number().int()),
    countingSince: isoDate,
  }),
  run: async (ctx, input) => {
    const out = await getKeyUsage(ctx, input);
    return {
      keyId: out.keyId,
      lastUsedAt: isoOrNull(out.lastUsedAt),
      operations: { ...out.operations },
      countingSince: out.countingSince.toISOString(),
    };
  },
});

export const updateKeyDescriptionOperation = jsonOperation({
  name: 'updateKeyDescription',
  summary: "Change a key's description",
  tag: TAG,
  input: z.strictObject({ keyId: keyRef, description: z.string().max(8192) }),
  output: keyViewJson,
  run: (ctx, input) => render(updateKeyDescription(ctx, input)),
});

const tagChanges = {
  set: tags.optional(),
  remove: z.array(z.string().max(128)).max(50).optional(),
};

export const tagKeyOperation = jsonOperation({
  name: 'tagKey',
  summary: 'Set and remove tags',
  tag: TAG,
  input: z.strictObject({ keyId: keyRef, ...tagChanges }),
  output: keyViewJson,
  run: (ctx, input) => render(tagKey(ctx, input)),
});

export const setKeyRotationOperation = jsonOperation({
  name: 'setKeyRotation',
  summary: 'Set or clear the automatic rotation period',
  tag: TAG,
  input: z.strictObject({ keyId: keyRef, rotationPeriodDays }),
  output: keyViewJson,
  run: (ctx, input) => render(setKeyRotation(ctx, input)),
});

const patchKeyBody = z.strictObject({
  description: z.string().max(8192).optional(),
  tags: z.strictObject(tagChanges).optional(),
  rotationPeriodDays: rotationPeriodDays.optional(),
  enabled: z.boolean().optional().meta({ description: 'Enable (true) or disable (false) the key' }),
});

export const updateKeySettingsOperation = jsonOperation({
  name: 'updateKeySettings',
  summary: "Change several of a key's settings at once, all or none",
  tag: TAG,
  input: patchKeyBody.extend({ keyId: keyRef }),
  output: keyViewJson,
  run: (ctx, input) => render(updateKeySettings(ctx, input)),
});

/**
 * PATCH changes every setting it names in one transaction with one audit
 * record (updateKeySettings), or none of them; an empty patch describes.
 */
const patchKeyRoute = defineRoute({
  method: 'PATCH',
  path: '/keys/:key',
  operationId: 'updateKey',
  summary: "Change a key's description, tags, rotation period or enabled state, all or none",
  tag: TAG,
  params: keyParams,
  body: patchKeyBody,
  response: keyViewJson,
  handler: async ({ params, body, ctx }) => {
    const keyId = params.key;
    const changes = Object.keys(body).length > 0;
    const view = changes ? updateKeySettings(ctx, { keyId, ...body }) : describeKey(ctx, { keyId });
    return renderKeyView(await view);
  },
});

export const keyOperations: readonly AnyJsonOperation[] = [
  createKeyOperation,
  listKeysOperation,
  describeKeyOperation,
  getKeyUsageOperation,
  updateKeyDescriptionOperation,
  tagKeyOperation,
  setKeyRotationOperation,
  updateKeySettingsOperation,
];

export const keyRoutes: readonly RestRoute[] = [
  operationRoute({
    method: 'POST',
    path: '/keys',
    operation: createKeyOperation,
    body: createKeyBody,
    toInput: ({ body }) => body,
  }),
  operationRoute({
    method: 'GET',
    path: '/keys',
    operation: listKeysOperation,
    query: listKeysQuery,
    toInput: ({ query }) => query,
  }),
  keyRoute('GET', '/keys/:key', describeKeyOperation),
  keyRoute('GET', '/keys/:key/usage', getKeyUsageOperation),
  patchKeyRoute,
];
