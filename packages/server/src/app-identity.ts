import type { PeerCertificate } from 'node:tls';
import { z } from 'zod';
import { ConfigError, type Config } from './ops/config.js';
import type { Authenticator } from './protocols/http/authenticate.js';
import type { Kms } from './service/context.js';
import { loadKeyAccess } from './service/key-access/index.js';
import {
  authenticateCertificate,
  authenticateJwt,
  authenticateToken,
  createRootToken,
  loadPolicies,
  oidcRealmSchema,
  subjectDn,
  type OidcRealmConfig,
} from './service/identity/index.js';

/**
 * The HTTP authenticator over the identity service: Custos tokens always,
 * OIDC JWTs when realms are configured, client certificates when the
 * listener asks for them.
 */
export function makeAuthenticator(kms: Kms, config: Config): Authenticator {
  const realms = checkRealms(config.oidc);
  return {
    token: (token) => authenticateToken(kms, token),
    ...(realms.length > 0 && { jwt: (jwt: string) => authenticateJwt(kms, jwt, realms) }),
    ...(config.tls?.clientCa !== undefined && {
      certificate: (certificate: PeerCertificate) =>
        authenticateCertificate(kms, {
          fingerprint256: certificate.fingerprint256,
          subject: subjectDn(definedFields(certificate.subject)),
        }),
    }),
  };
}

/** Realm details the config schema leaves to the identity service, checked before listening. */
function checkRealms(realms: readonly unknown[]): OidcRealmConfig[] {
  return realms.map((realm, i) => {
    const parsed = oidcRealmSchema.safeParse(realm);
    if (parsed.success) return parsed.data;
    throw new ConfigError(
      `invalid configuration: oidc[${i.toString()}]: ${z.prettifyError(parsed.error)}`,
    );
  });
}

/** The root principal's token, created once per data directory (its secret is only returned here). */
export async function issueRootToken(kms: Kms): Promise<string> {
  const { token } = await createRootToken(kms);
  return token;
}

/** Whether the root principal exists (it is created with the first root token). */
export async function hasRootPrincipal(kms: Kms): Promise<boolean> {
  return (await kms.store.getPrincipal('root')) !== undefined;
}

/** Fills the policy authorizer's caches (policies, grants, key policies) before the first request. */
export async function refreshPolicies(kms: Kms): Promise<void> {
  await loadPolicies(kms);
  await loadKeyAccess(kms);
}

function definedFields(
  subject: PeerCertificate['subject'],
): Record<string, string | readonly string[]> {
  const fields: Record<string, string | readonly string[]> = {};
  for (const [name, value] of Object.entries(subject))
    if (value !== undefined) fields[name] = value;
  return fields;
}
