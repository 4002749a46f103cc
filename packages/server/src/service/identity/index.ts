export * from './authenticate-certificate.js';
export * from './authenticate-jwt.js';
export * from './authenticate-token.js';
export { subjectDn } from './certificate-match.js';
export * from './create-principal.js';
export * from './create-root-token.js';
export * from './create-token.js';
export * from './delete-policy.js';
export * from './delete-principal.js';
export * from './describe-principal.js';
export * from './get-policy.js';
export * from './list-policies.js';
export * from './list-principals.js';
export * from './list-tokens.js';
export * from './load-policies.js';
export * from './lookup-self.js';
export * from './map-certificate.js';
export * from './oidc-realm.js';
export * from './put-policy.js';
export * from './revoke-token.js';
export { TOKEN_PREFIX } from './token-secret.js';
export * from './unmap-certificate.js';
export * from './update-principal.js';
export type * from './views.js';
// Through audited() (one audit record per call, fail closed): these named
// re-exports shadow the unaudited functions the lines above also carry.
export {
  createPrincipal,
  createToken,
  deletePolicy,
  deletePrincipal,
  describePrincipal,
  getPolicy,
  listPolicies,
  listPrincipals,
  listTokens,
  lookupSelf,
  mapCertificate,
  putPolicy,
  revokeToken,
  unmapCertificate,
  updatePrincipal,
} from '../audited-operations.js';
