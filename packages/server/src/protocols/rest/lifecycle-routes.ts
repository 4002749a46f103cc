import { z } from 'zod';
import { VERSION_STATES } from '../../core/key.js';
import type { KeyView, RequestContext } from '../../service/index.js';
import {
  cancelKeyDeletion,
  disableKey,
  enableKey,
  rotateKey,
  scheduleKeyDeletion,
  updateKeyVersion,
} from '../../service/index.js';
import { keyRef } from './json.js';
import { keyViewJson, renderKeyView, type KeyViewJson } from './key-view-json.js';
import {
  jsonOperation,
  keyRoute,
  operationRoute,
  type AnyJsonOperation,
  type JsonOperation,
} from './operation.js';
import type { RestRoute } from './route.js';

const TAG = 'Key lifecycle';
const keyOnly = z.strictObject({ keyId: keyRef });
type KeyOnly = z.infer<typeof keyOnly>;

/** An operation on one key that takes nothing else and answers the key. */
function keyAction(
  name: string,
  summary: string,
  action: (ctx: RequestContext, input: KeyOnly) => Promise<KeyView>,
): JsonOperation<KeyOnly, KeyViewJson> {
  return jsonOperation({
    name,
    summary,
    tag: TAG,
    input: keyOnly,
    output: keyViewJson,
    run: async (ctx, input) => renderKeyView(await action(ctx, input)),
  });
}

export const enableKeyOperation = keyAction('enableKey', 'Enable a key', enableKey);
export const disableKeyOperation = keyAction('disableKey', 'Disable a key', disableKey);
export const rotateKeyOperation = keyAction(
  'rotateKey',
  'Add a version and make it primary',
  rotateKey,
);
export const cancelKeyDeletionOperation = keyAction(
  'cancelKeyDeletion',
  'Cancel a scheduled deletion (the key becomes Disabled)',
  cancelKeyDeletion,
);

const scheduleDeletionBody = z.strictObject({
  pendingWindowDays: z.number().int().optional().meta({ description: '7 to 30, default 30' }),
});

export const scheduleKeyDeletionOperation = jsonOperation({
  name: 'scheduleKeyDeletion',
  summary: 'Schedule the destruction of a key',
  tag: TAG,
  input: scheduleDeletionBody.extend({ keyId: keyRef }),
  output: keyViewJson,
  run: async (ctx, input) => renderKeyView(await scheduleKeyDeletion(ctx, input)),
});

const versionState = z.enum(VERSION_STATES).exclude(['Destroyed']);
const versionParams = z.strictObject({
  key: keyRef,
  version: z.coerce.number().int().min(1).max(0xffffffff),
});
const versionBody = z.strictObject({ state: versionState });

export const updateKeyVersionOperation = jsonOperation({
  name: 'updateKeyVersion',
  summary: 'Enable, disable or mark a version compromised',
  tag: TAG,
  input: z.strictObject({
    keyId: keyRef,
    version: z.number().int().min(1).max(0xffffffff),
    state: versionState,
  }),
  output: keyViewJson,
  run: async (ctx, input) => renderKeyView(await updateKeyVersion(ctx, input)),
});

export const lifecycleOperations: readonly AnyJsonOperation[] = [
  enableKeyOperation,
  disableKeyOperation,
  rotateKeyOperation,
  scheduleKeyDeletionOperation,
  cancelKeyDeletionOperation,
  updateKeyVersionOperation,
];

export const lifecycleRoutes: readonly RestRoute[] = [
  keyRoute('POST', '/keys/:key/enable', enableKeyOperation),
  keyRoute('POST', '/keys/:key/disable', disableKeyOperation),
  keyRoute('POST', '/keys/:key/rotate', rotateKeyOperation),
  keyRoute(
    'POST',
    '/keys/:key/schedule-deletion',
    scheduleKeyDeletionOperation,
    scheduleDeletionBody,
  ),
  keyRoute('POST', '/keys/:key/cancel-deletion', cancelKeyDeletionOperation),
  operationRoute({
    method: 'PUT',
    path: '/keys/:key/versions/:version',
    operation: updateKeyVersionOperation,
    params: versionParams,
    body: versionBody,
    toInput: ({ params, body }) => ({ keyId: params.key, version: params.version, ...body }),
  }),
];
