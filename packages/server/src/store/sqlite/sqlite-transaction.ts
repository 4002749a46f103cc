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
import type { StoreWriter, StoredAuditCheckpoint, StoredAuditRecord } from '../store.js';
import { SqliteReader, guard } from './sqlite-reader.js';

/**
 * The writer handed to a `transaction` callback. It runs every call at once
 * (the store holds the connection for it from BEGIN to COMMIT) and refuses
 * calls after the transaction ended, which would otherwise write outside it.
 */
export class SqliteTransaction extends SqliteReader implements StoreWriter {
  private active = true;

  get isActive(): boolean {
    return this.active;
  }

  end(): void {
    this.active = false;
  }

  protected run<T>(op: () => T): Promise<T> {
    // The executor runs synchronously, so a write issued without await still
    // lands before COMMIT; a throw becomes the rejection.
    return new Promise<T>((resolve) => {
      if (!this.active) throw new TypeError('the transaction has ended; its writer is unusable');
      resolve(guard(op));
    });
  }

  insertKey(key: KeyRecord): Promise<void> {
    return this.run(() => {
      this.ops.insertKey(key);
    });
  }

  updateKey(key: KeyRecord): Promise<KeyRecord> {
    return this.run(() => this.ops.updateKey(key));
  }

  deleteKey(id: string): Promise<void> {
    return this.run(() => {
      this.ops.deleteKey(id);
    });
  }

  insertVersion(version: KeyVersion): Promise<void> {
    return this.run(() => {
      this.ops.insertVersion(version);
    });
  }

  updateVersion(version: KeyVersion): Promise<KeyVersion> {
    return this.run(() => this.ops.updateVersion(version));
  }

  insertAlias(alias: Alias): Promise<void> {
    return this.run(() => {
      this.ops.insertAlias(alias);
    });
  }

  updateAlias(alias: Alias): Promise<void> {
    return this.run(() => {
      this.ops.updateAlias(alias);
    });
  }

  deleteAlias(name: string): Promise<void> {
    return this.run(() => {
      this.ops.deleteAlias(name);
    });
  }

  putImportToken(token: ImportToken): Promise<void> {
    return this.run(() => {
      this.ops.putImportToken(token);
    });
  }

  deleteImportToken(id: string): Promise<void> {
    return this.run(() => {
      this.ops.deleteImportToken(id);
    });
  }

  putMeta(name: string, value: Buffer): Promise<void> {
    return this.run(() => {
      this.ops.putMeta(name, value);
    });
  }

  insertPrincipal(principal: PrincipalRecord): Promise<void> {
    return this.run(() => {
      this.identity.insertPrincipal(principal);
    });
  }

  updatePrincipal(principal: PrincipalRecord): Promise<PrincipalRecord> {
    return this.run(() => this.identity.updatePrincipal(principal));
  }

  deletePrincipal(id: string): Promise<void> {
    return this.run(() => {
      this.identity.deletePrincipal(id);
    });
  }

  insertToken(token: TokenRecord): Promise<void> {
    return this.run(() => {
      this.identity.insertToken(token);
    });
  }

  revokeToken(accessor: string, at: Date): Promise<TokenRecord> {
    return this.run(() => this.identity.revokeToken(accessor, at));
  }

  insertPolicy(policy: PolicyRecord): Promise<void> {
    return this.run(() => {
      this.identity.insertPolicy(policy);
    });
  }

  updatePolicy(policy: PolicyRecord): Promise<PolicyRecord> {
    return this.run(() => this.identity.updatePolicy(policy));
  }

  deletePolicy(name: string, rowVersion?: number): Promise<void> {
    return this.run(() => {
      this.identity.deletePolicy(name, rowVersion);
    });
  }

  putCertificateMapping(mapping: CertificateMapping): Promise<void> {
    return this.run(() => {
      this.identity.putCertificateMapping(mapping);
    });
  }

  deleteCertificateMapping(match: CertificateMatch, value: string): Promise<void> {
    return this.run(() => {
      this.identity.deleteCertificateMapping(match, value);
    });
  }

  insertAccessKey(record: AccessKeyRecord): Promise<void> {
    return this.run(() => {
      this.ops.access.insertAccessKey(record);
    });
  }

  deleteAccessKey(id: string): Promise<void> {
    return this.run(() => {
      this.ops.access.deleteAccessKey(id);
    });
  }

  insertGrant(grant: GrantRecord): Promise<void> {
    return this.run(() => {
      this.ops.access.insertGrant(grant);
    });
  }

  deleteGrant(grantId: string): Promise<void> {
    return this.run(() => {
      this.ops.access.deleteGrant(grantId);
    });
  }

  insertKeyPolicy(record: KeyPolicyRecord): Promise<void> {
    return this.run(() => {
      this.ops.access.insertKeyPolicy(record);
    });
  }

  updateKeyPolicy(record: KeyPolicyRecord): Promise<KeyPolicyRecord> {
    return this.run(() => this.ops.access.updateKeyPolicy(record));
  }

  appendAudit(
    records: readonly StoredAuditRecord[],
    checkpoint?: StoredAuditCheckpoint,
  ): Promise<void> {
    return this.run(() => {
      this.ops.audit.append(records, checkpoint);
    });
  }

  pruneAudit(anchor: StoredAuditCheckpoint): Promise<number> {
    return this.run(() => this.ops.audit.prune(anchor));
  }
}
