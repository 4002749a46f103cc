import { audited } from '../audited.js';
import { createAccessKey as createAccessKeyOperation } from './create-access-key.js';
import { deleteAccessKey as deleteAccessKeyOperation } from './delete-access-key.js';
import { listAccessKeys as listAccessKeysOperation } from './list-access-keys.js';

export { ACCESS_KEY_ID_RE } from './access-key-records.js';
export type { CreateAccessKeyInput, CreateAccessKeyOutput } from './create-access-key.js';
export type { DeleteAccessKeyInput } from './delete-access-key.js';
export type { AccessKeySummary, ListAccessKeysInput } from './list-access-keys.js';
export { resolveAccessKey, type ResolvedAccessKey } from './resolve-access-key.js';

// Through audited(), like every operation a door may call: one record per call.
export const createAccessKey = audited('createAccessKey', createAccessKeyOperation);
export const listAccessKeys = audited('listAccessKeys', listAccessKeysOperation);
export const deleteAccessKey = audited('deleteAccessKey', deleteAccessKeyOperation);
