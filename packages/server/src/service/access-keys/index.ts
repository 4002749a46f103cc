export { ACCESS_KEY_ID_RE } from './access-key-records.js';
export * from './create-access-key.js';
export * from './delete-access-key.js';
export * from './list-access-keys.js';
export { resolveAccessKey, type ResolvedAccessKey } from './resolve-access-key.js';
