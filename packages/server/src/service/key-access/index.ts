export * from './create-grant.js';
export * from './list-grants.js';
export * from './retire-grant.js';
export * from './key-policy.js';
export { loadKeyAccess } from './load-key-access.js';
export { GRANT_ID_RE, grantIdOfToken } from './grant-token.js';
