import { z } from 'zod';
import { PRINCIPAL_KINDS } from '../../core/identity.js';
import type {
  CertificateMappingView,
  CreateTokenOutput,
  LookupSelfOutput,
  PolicySummary,
  PolicyView,
  PrincipalView,
  TokenView,
} from '../../service/identity/index.js';
import { isoDate, isoOrNull } from './json.js';

// JSON shapes of the identity routes, and the renderers from service views.

export const principalJson = z
  .strictObject({
    id: z.string(),
    kind: z.enum(PRINCIPAL_KINDS),
    policies: z.array(z.string()),
    disabled: z.boolean(),
    createdAt: isoDate,
  })
  .meta({ id: 'Principal' });

export const certificateMappingJson = z
  .strictObject({
    match: z.enum(['fingerprint', 'subject']),
    value: z.string(),
    principal: z.string(),
    createdAt: isoDate,
  })
  .meta({ id: 'CertificateMapping' });

export const principalDetailJson = principalJson
  .extend({ certificates: z.array(certificateMappingJson) })
  .meta({ id: 'PrincipalDetail' });

export const tokenJson = z
  .strictObject({
    accessor: z.string(),
    principal: z.string(),
    policies: z.array(z.string()),
    displayName: z.string(),
    createdAt: isoDate,
    expiresAt: isoDate.nullable(),
    revokedAt: isoDate.nullable(),
    lastUsedAt: isoDate.nullable(),
  })
  .meta({ id: 'Token', description: 'A token as listed: never its secret' });

export const createdTokenJson = z
  .strictObject({
    token: z.string().meta({ description: 'The secret: shown this once, stored only as a hash' }),
    accessor: z.string(),
    principal: z.string(),
    policies: z.array(z.string()),
    expiresAt: isoDate.nullable(),
  })
  .meta({ id: 'CreatedToken' });

export const selfJson = z
  .strictObject({
    id: z.string(),
    kind: z.enum(PRINCIPAL_KINDS),
    policies: z.array(z.string()),
    credential: z
      .strictObject({
        type: z.enum(['token', 'jwt', 'certificate']),
        expiresAt: isoDate.nullable(),
      })
      .nullable(),
    token: tokenJson.nullable(),
  })
  .meta({ id: 'Self' });

export const policySummaryJson = z
  .strictObject({ name: z.string(), rowVersion: z.number().int(), updatedAt: isoDate })
  .meta({ id: 'PolicySummary' });

export function renderPrincipal(view: PrincipalView): z.infer<typeof principalJson> {
  return {
    id: view.id,
    kind: view.kind,
    policies: [...view.policies],
    disabled: view.disabled,
    createdAt: view.createdAt.toISOString(),
  };
}

export function renderMapping(
  view: CertificateMappingView,
): z.infer<typeof certificateMappingJson> {
  return { ...view, createdAt: view.createdAt.toISOString() };
}

export function renderToken(view: TokenView): z.infer<typeof tokenJson> {
  return {
    accessor: view.accessor,
    principal: view.principal,
    policies: [...view.policies],
    displayName: view.displayName,
    createdAt: view.createdAt.toISOString(),
    expiresAt: isoOrNull(view.expiresAt),
    revokedAt: isoOrNull(view.revokedAt),
    lastUsedAt: isoOrNull(view.lastUsedAt),
  };
}

export function renderCreatedToken(out: CreateTokenOutput): z.infer<typeof createdTokenJson> {
  return { ...out, policies: [...out.policies], expiresAt: isoOrNull(out.expiresAt) };
}

export function renderSelf(out: LookupSelfOutput): z.infer<typeof selfJson> {
  return {
    id: out.id,
    kind: out.kind,
    policies: [...out.policies],
    credential:
      out.credential === null
        ? null
        : { type: out.credential.type, expiresAt: isoOrNull(out.credential.expiresAt) },
    token: out.token === null ? null : renderToken(out.token),
  };
}

export function renderPolicySummary(summary: PolicySummary): z.infer<typeof policySummaryJson> {
  return { ...summary, updatedAt: summary.updatedAt.toISOString() };
}

export function renderPolicy(view: PolicyView) {
  return {
    name: view.name,
    document: view.document,
    rowVersion: view.rowVersion,
    updatedAt: view.updatedAt.toISOString(),
  };
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

/**
 * A token lifetime: seconds, or a count with a unit (`90s`, `30m`, `1h`,
 * `7d`) as the CLI's `--ttl` takes it.
 */
export const ttlJson = z
  .union([
    z.number().int().positive(),
    z
      .string()
      .regex(/^\d{1,9}[smhd]$/, 'a TTL is seconds, or a number with s, m, h or d')
      .transform((text) => Number(text.slice(0, -1)) * (UNIT_SECONDS[text.slice(-1)] ?? 1)),
  ])
  .meta({ description: 'Lifetime: seconds, or e.g. "30m", "1h", "7d"' });
