import { ConflictError, NotFoundError } from '../../core/errors.js';
import type {
  CertificateMapping,
  CertificateMatch,
  PolicyRecord,
  PrincipalRecord,
  TokenRecord,
} from '../../core/identity.js';
import type { Page, PageRequest, TokenUse } from '../store.js';
import {
  certificateMappingRow,
  policyRow,
  principalRow,
  toCertificateMapping,
  toPolicy,
  toPrincipal,
  toToken,
  tokenRow,
} from './identity-rows.js';
import type { IdentityStatements } from './identity-statements.js';
import { decodeCursor, pageSize, toPage } from './pagination.js';
import { millis } from './rows.js';
import { insertError, sqliteCode } from './sqlite-errors.js';

/** The identity half of the store as synchronous calls; SqliteStore decides when they run. */
export class SqliteIdentityOps {
  constructor(private readonly sql: IdentityStatements) {}

  getPrincipal(id: string): PrincipalRecord | undefined {
    const row = this.sql.getPrincipal.get(id);
    return row === undefined ? undefined : toPrincipal(row);
  }

  listPrincipals(page: PageRequest): Page<PrincipalRecord> {
    const size = pageSize(page.limit);
    const rows = this.sql.listPrincipals.all(decodeCursor(page.cursor), size + 1);
    return toPage(rows, size, toPrincipal, (row) => row.id);
  }

  insertPrincipal(principal: PrincipalRecord): void {
    try {
      this.sql.insertPrincipal.run(principalRow(principal));
    } catch (error) {
      throw insertError(error, `principal ${principal.id}`);
    }
  }

  updatePrincipal(principal: PrincipalRecord): PrincipalRecord {
    if (this.sql.updatePrincipal.run(principalRow(principal)).changes === 0) {
      throw this.sql.principalExists.get(principal.id) === undefined
        ? new NotFoundError(`principal ${principal.id} does not exist`)
        : new ConflictError(`principal ${principal.id} was changed concurrently`);
    }
    return { ...principal, rowVersion: principal.rowVersion + 1 };
  }

  deletePrincipal(id: string): void {
    // Tokens and certificate mappings go with it (ON DELETE CASCADE).
    if (this.sql.deletePrincipal.run(id).changes === 0) {
      throw new NotFoundError(`principal ${id} does not exist`);
    }
  }

  getToken(id: string): TokenRecord | undefined {
    const row = this.sql.getToken.get(id);
    return row === undefined ? undefined : toToken(row);
  }

  getTokenByAccessor(accessor: string): TokenRecord | undefined {
    const row = this.sql.getTokenByAccessor.get(accessor);
    return row === undefined ? undefined : toToken(row);
  }

  listTokens(filter: { readonly principalId?: string }, page: PageRequest): Page<TokenRecord> {
    const size = pageSize(page.limit);
    const after = decodeCursor(page.cursor);
    const rows =
      filter.principalId === undefined
        ? this.sql.listTokens.all(after, size + 1)
        : this.sql.listPrincipalTokens.all(filter.principalId, after, size + 1);
    return toPage(rows, size, toToken, (row) => row.accessor);
  }

  insertToken(token: TokenRecord): void {
    try {
      this.sql.insertToken.run(tokenRow(token));
    } catch (error) {
      // Never name the id: it is the hash of a live secret.
      throw withPrincipal(error, `token ${token.accessor}`, token.principalId);
    }
  }

  revokeToken(accessor: string, at: Date): TokenRecord {
    const row = this.sql.revokeToken.get(millis(at), accessor);
    if (row === undefined) throw new NotFoundError(`token ${accessor} does not exist`);
    return toToken(row);
  }

  recordTokenUse(uses: readonly TokenUse[]): void {
    if (uses.length > 0) this.sql.recordUse(uses);
  }

  getPolicy(name: string): PolicyRecord | undefined {
    const row = this.sql.getPolicy.get(name);
    return row === undefined ? undefined : toPolicy(row);
  }

  listPolicies(page: PageRequest): Page<PolicyRecord> {
    const size = pageSize(page.limit);
    const rows = this.sql.listPolicies.all(decodeCursor(page.cursor), size + 1);
    return toPage(rows, size, toPolicy, (row) => row.name);
  }

  insertPolicy(policy: PolicyRecord): void {
    try {
      this.sql.insertPolicy.run(policyRow(policy));
    } catch (error) {
      throw insertError(error, `policy ${policy.name}`);
    }
  }

  updatePolicy(policy: PolicyRecord): PolicyRecord {
    if (this.sql.updatePolicy.run(policyRow(policy)).changes === 0) {
      throw this.sql.policyVersion.get(policy.name) === undefined
        ? new NotFoundError(`policy ${policy.name} does not exist`)
        : new ConflictError(`policy ${policy.name} was changed concurrently`);
    }
    return { ...policy, rowVersion: policy.rowVersion + 1 };
  }

  deletePolicy(name: string, rowVersion?: number): void {
    const stored = this.sql.policyVersion.get(name);
    if (stored === undefined) throw new NotFoundError(`policy ${name} does not exist`);
    if (rowVersion !== undefined && stored !== rowVersion) {
      throw new ConflictError(`policy ${name} was changed concurrently`);
    }
    this.sql.deletePolicy.run(name);
  }

  getCertificateMapping(match: CertificateMatch, value: string): CertificateMapping | undefined {
    const row = this.sql.getMapping.get(match, value);
    return row === undefined ? undefined : toCertificateMapping(row);
  }

  listCertificateMappings(principalId: string): CertificateMapping[] {
    return this.sql.listMappings.all(principalId).map(toCertificateMapping);
  }

  putCertificateMapping(mapping: CertificateMapping): void {
    try {
      this.sql.putMapping.run(certificateMappingRow(mapping));
    } catch (error) {
      throw withPrincipal(error, 'certificate mapping', mapping.principalId);
    }
  }

  deleteCertificateMapping(match: CertificateMatch, value: string): void {
    if (this.sql.deleteMapping.run(match, value).changes === 0) {
      throw new NotFoundError(`no certificate mapping for that ${match}`);
    }
  }
}

/** An insert's failure where the parent is a principal rather than a key. */
function withPrincipal(error: unknown, what: string, principalId: string): unknown {
  if (sqliteCode(error) === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    return new NotFoundError(`principal ${principalId} does not exist`, { cause: error });
  }
  return insertError(error, what);
}
