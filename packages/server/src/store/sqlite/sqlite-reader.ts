import type {
  AccessKeyRecord,
  CertificateMapping,
  CertificateMatch,
  PolicyRecord,
  PrincipalRecord,
  TokenRecord,
} from '../../core/identity.js';
import type { Alias, ImportToken, KeyRecord, KeyVersion } from '../../core/key.js';
import type { GrantRecord, KeyPolicyRecord } from '../../core/key-access.js';
import type {
  AuditHead,
  AuditQuery,
  DueKind,
  GrantFilter,
  KeyFilter,
  Page,
  PageRequest,
  StoreReader,
  StoredAuditCheckpoint,
  StoredAuditRecord,
} from '../store.js';
import { SqliteIdentityOps } from './identity-ops.js';
import { toStoreError } from './sqlite-errors.js';
import type { SqliteOps } from './sqlite-ops.js';

/**
 * The read half of the port over SqliteOps. Subclasses decide how a call may
 * reach the connection: the store queues it behind any open transaction, a
 * transaction runs it at once because it already holds the connection.
 */
export abstract class SqliteReader implements StoreReader {
  protected readonly identity: SqliteIdentityOps;

  constructor(protected readonly ops: SqliteOps) {
    this.identity = new SqliteIdentityOps(ops.sql.identity);
  }

  /** Runs `op` on the connection when allowed; its SQLite errors come back as typed ones. */
  protected abstract run<T>(op: () => T): Promise<T>;

  getKey(id: string): Promise<KeyRecord | undefined> {
    return this.run(() => this.ops.getKey(id));
  }

  listKeys(filter: KeyFilter, page: PageRequest): Promise<Page<KeyRecord>> {
    return this.run(() => this.ops.listKeys(filter, page));
  }

  listDueKeys(kind: DueKind, now: Date, limit: number): Promise<KeyRecord[]> {
    return this.run(() => this.ops.listDueKeys(kind, now, limit));
  }

  getVersions(keyId: string): Promise<KeyVersion[]> {
    return this.run(() => this.ops.getVersions(keyId));
  }

  getVersion(keyId: string, version: number): Promise<KeyVersion | undefined> {
    return this.run(() => this.ops.getVersion(keyId, version));
  }

  getAlias(name: string): Promise<Alias | undefined> {
    return this.run(() => this.ops.getAlias(name));
  }

  listAliases(filter: { readonly keyId?: string }, page: PageRequest): Promise<Page<Alias>> {
    return this.run(() => this.ops.listAliases(filter, page));
  }

  getImportToken(id: string): Promise<ImportToken | undefined> {
    return this.run(() => this.ops.getImportToken(id));
  }

  getMeta(name: string): Promise<Buffer | undefined> {
    return this.run(() => this.ops.getMeta(name));
  }

  getPrincipal(id: string): Promise<PrincipalRecord | undefined> {
    return this.run(() => this.identity.getPrincipal(id));
  }

  listPrincipals(page: PageRequest): Promise<Page<PrincipalRecord>> {
    return this.run(() => this.identity.listPrincipals(page));
  }

  getToken(id: string): Promise<TokenRecord | undefined> {
    return this.run(() => this.identity.getToken(id));
  }

  getTokenByAccessor(accessor: string): Promise<TokenRecord | undefined> {
    return this.run(() => this.identity.getTokenByAccessor(accessor));
  }

  listTokens(
    filter: { readonly principalId?: string },
    page: PageRequest,
  ): Promise<Page<TokenRecord>> {
    return this.run(() => this.identity.listTokens(filter, page));
  }

  getPolicy(name: string): Promise<PolicyRecord | undefined> {
    return this.run(() => this.identity.getPolicy(name));
  }

  listPolicies(page: PageRequest): Promise<Page<PolicyRecord>> {
    return this.run(() => this.identity.listPolicies(page));
  }

  getCertificateMapping(
    match: CertificateMatch,
    value: string,
  ): Promise<CertificateMapping | undefined> {
    return this.run(() => this.identity.getCertificateMapping(match, value));
  }

  listCertificateMappings(principalId: string): Promise<CertificateMapping[]> {
    return this.run(() => this.identity.listCertificateMappings(principalId));
  }

  getAccessKey(id: string): Promise<AccessKeyRecord | undefined> {
    return this.run(() => this.ops.access.getAccessKey(id));
  }

  listAccessKeys(
    filter: { readonly principalId?: string },
    page: PageRequest,
  ): Promise<Page<AccessKeyRecord>> {
    return this.run(() => this.ops.access.listAccessKeys(filter, page));
  }

  getGrant(grantId: string): Promise<GrantRecord | undefined> {
    return this.run(() => this.ops.access.getGrant(grantId));
  }

  listGrants(filter: GrantFilter, page: PageRequest): Promise<Page<GrantRecord>> {
    return this.run(() => this.ops.access.listGrants(filter, page));
  }

  countGrants(keyId: string): Promise<number> {
    return this.run(() => this.ops.access.countGrants(keyId));
  }

  getKeyPolicy(keyId: string): Promise<KeyPolicyRecord | undefined> {
    return this.run(() => this.ops.access.getKeyPolicy(keyId));
  }

  listKeyPolicies(page: PageRequest): Promise<Page<KeyPolicyRecord>> {
    return this.run(() => this.ops.access.listKeyPolicies(page));
  }

  listAuditRecords(query: AuditQuery, page: PageRequest): Promise<Page<StoredAuditRecord>> {
    return this.run(() => this.ops.audit.list(query, page));
  }

  readAuditRange(fromSeq: number, toSeq: number, limit: number): Promise<StoredAuditRecord[]> {
    return this.run(() => this.ops.audit.range(fromSeq, toSeq, limit));
  }

  listAuditCheckpoints(afterSeq: number, limit: number): Promise<StoredAuditCheckpoint[]> {
    return this.run(() => this.ops.audit.checkpointsAfter(afterSeq, limit));
  }

  getAuditHead(): Promise<AuditHead> {
    return this.run(() => this.ops.audit.head());
  }
}

/** Calls `op`, translating what SQLite throws into the store's typed errors. */
export function guard<T>(op: () => T): T {
  try {
    return op();
  } catch (error) {
    throw toStoreError(error);
  }
}
