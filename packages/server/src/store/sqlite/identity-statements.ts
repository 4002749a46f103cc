import type Database from 'better-sqlite3';
import type { TokenUse } from '../store.js';
import type { CertificateMappingRow, PolicyRow, PrincipalRow, TokenRow } from './identity-rows.js';
import { millis } from './rows.js';

type Stmt<P extends unknown[] | object, R = unknown> = Database.Statement<P, R>;

/** The identity tables' fixed statements, prepared once per connection. */
export interface IdentityStatements {
  readonly getPrincipal: Stmt<[string], PrincipalRow>;
  readonly principalExists: Stmt<[string], number>;
  readonly listPrincipals: Stmt<[string, number], PrincipalRow>;
  readonly insertPrincipal: Stmt<PrincipalRow>;
  readonly updatePrincipal: Stmt<PrincipalRow>;
  readonly deletePrincipal: Stmt<[string]>;
  readonly getToken: Stmt<[string], TokenRow>;
  readonly getTokenByAccessor: Stmt<[string], TokenRow>;
  readonly listTokens: Stmt<[string, number], TokenRow>;
  readonly listPrincipalTokens: Stmt<[string, string, number], TokenRow>;
  readonly insertToken: Stmt<TokenRow>;
  readonly revokeToken: Stmt<[number, string], TokenRow>;
  readonly getPolicy: Stmt<[string], PolicyRow>;
  readonly policyVersion: Stmt<[string], number>;
  readonly listPolicies: Stmt<[string, number], PolicyRow>;
  readonly insertPolicy: Stmt<PolicyRow>;
  readonly updatePolicy: Stmt<PolicyRow>;
  readonly deletePolicy: Stmt<[string]>;
  readonly getMapping: Stmt<[string, string], CertificateMappingRow>;
  readonly listMappings: Stmt<[string], CertificateMappingRow>;
  readonly putMapping: Stmt<CertificateMappingRow>;
  readonly deleteMapping: Stmt<[string, string]>;
  /** Applies a batch of token uses in one transaction of its own. */
  readonly recordUse: (uses: readonly TokenUse[]) => void;
}

const PRINCIPAL_COLUMNS = 'id, kind, policies, disabled, created_at, row_version';
const TOKEN_COLUMNS = `id, accessor, principal_id, policies, display_name, created_at, expires_at,
  revoked_at, last_used_at`;
const POLICY_COLUMNS = 'name, document, updated_at, row_version';
const MAPPING_COLUMNS = 'match_kind, match_value, principal_id, created_at';

export function prepareIdentityStatements(db: Database.Database): IdentityStatements {
  const touch = db.prepare<{ at: number; id: string }>(
    // Only forward: a batch flushed late never moves the time back.
    `UPDATE tokens SET last_used_at = @at
     WHERE id = @id AND (last_used_at IS NULL OR last_used_at < @at)`,
  );
  const touchAll = db.transaction((uses: readonly TokenUse[]) => {
    for (const { tokenId, at } of uses) touch.run({ at: millis(at), id: tokenId });
  });
  return {
    getPrincipal: db.prepare(`SELECT ${PRINCIPAL_COLUMNS} FROM principals WHERE id = ?`),
    principalExists: db.prepare<[string], number>('SELECT 1 FROM principals WHERE id = ?').pluck(),
    listPrincipals: db.prepare(
      `SELECT ${PRINCIPAL_COLUMNS} FROM principals WHERE id > ? ORDER BY id LIMIT ?`,
    ),
    insertPrincipal: db.prepare(
      `INSERT INTO principals (${PRINCIPAL_COLUMNS})
       VALUES (@id, @kind, @policies, @disabled, @created_at, @row_version)`,
    ),
    updatePrincipal: db.prepare(
      `UPDATE principals SET kind = @kind, policies = @policies, disabled = @disabled,
       row_version = row_version + 1 WHERE id = @id AND row_version = @row_version`,
    ),
    deletePrincipal: db.prepare('DELETE FROM principals WHERE id = ?'),

    getToken: db.prepare(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE id = ?`),
    getTokenByAccessor: db.prepare(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE accessor = ?`),
    listTokens: db.prepare(
      `SELECT ${TOKEN_COLUMNS} FROM tokens WHERE accessor > ? ORDER BY accessor LIMIT ?`,
    ),
    listPrincipalTokens: db.prepare(
      `SELECT ${TOKEN_COLUMNS} FROM tokens WHERE principal_id = ? AND accessor > ?
       ORDER BY accessor LIMIT ?`,
    ),
    insertToken: db.prepare(
      `INSERT INTO tokens (${TOKEN_COLUMNS}) VALUES (@id, @accessor, @principal_id, @policies,
       @display_name, @created_at, @expires_at, @revoked_at, @last_used_at)`,
    ),
    revokeToken: db.prepare(
      `UPDATE tokens SET revoked_at = coalesce(revoked_at, ?) WHERE accessor = ?
       RETURNING ${TOKEN_COLUMNS}`,
    ),

    getPolicy: db.prepare(`SELECT ${POLICY_COLUMNS} FROM policies WHERE name = ?`),
    policyVersion: db
      .prepare<[string], number>('SELECT row_version FROM policies WHERE name = ?')
      .pluck(),
    listPolicies: db.prepare(
      `SELECT ${POLICY_COLUMNS} FROM policies WHERE name > ? ORDER BY name LIMIT ?`,
    ),
    insertPolicy: db.prepare(
      `INSERT INTO policies (${POLICY_COLUMNS})
       VALUES (@name, @document, @updated_at, @row_version)`,
    ),
    updatePolicy: db.prepare(
      `UPDATE policies SET document = @document, updated_at = @updated_at,
       row_version = row_version + 1 WHERE name = @name AND row_version = @row_version`,
    ),
    deletePolicy: db.prepare('DELETE FROM policies WHERE name = ?'),

    getMapping: db.prepare(
      `SELECT ${MAPPING_COLUMNS} FROM certificate_mappings WHERE match_kind = ? AND match_value = ?`,
    ),
    listMappings: db.prepare(
      `SELECT ${MAPPING_COLUMNS} FROM certificate_mappings WHERE principal_id = ?
       ORDER BY match_kind, match_value`,
    ),
    putMapping: db.prepare(
      `INSERT INTO certificate_mappings (${MAPPING_COLUMNS})
       VALUES (@match_kind, @match_value, @principal_id, @created_at)
       ON CONFLICT (match_kind, match_value) DO UPDATE SET principal_id = excluded.principal_id,
       created_at = excluded.created_at`,
    ),
    deleteMapping: db.prepare(
      'DELETE FROM certificate_mappings WHERE match_kind = ? AND match_value = ?',
    ),
    recordUse: (uses) => {
      touchAll.immediate(uses);
    },
  };
}
