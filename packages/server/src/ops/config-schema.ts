import { z } from 'zod';

/**
 * The configuration file's schema (DESIGN.md "Config file"), strict at every
 * level so a misspelt key is an error rather than a silently ignored setting.
 * docs/configuration.md documents every field; config-env.ts maps each leaf
 * to its CUSTOS_* variable.
 */

/** `host:port`, `[v6]:port`; port 0 asks the OS for a free one. */
const listenAddress = z
  .string()
  .regex(/^(\[[0-9a-fA-F:.]+\]|[^:\s[\]]+):\d{1,5}$/, 'expected host:port, e.g. 127.0.0.1:8200')
  .refine((value) => Number(value.slice(value.lastIndexOf(':') + 1)) <= 65_535, 'port too large');

const path = z.string().min(1);
const httpUrl = z.url({ protocol: /^https?$/ });

const storeSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('sqlite'),
    /** Database file; default `<dataDir>/custos.db`. */
    path: path.optional(),
  }),
  z.strictObject({ type: z.literal('postgres'), url: z.url({ protocol: /^postgres(ql)?$/ }) }),
]);

const sealSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('dev-file'),
    /** Root key file; default `<dataDir>/root.key`. */
    path: path.optional(),
  }),
  z.strictObject({ type: z.literal('passphrase') }),
]);

const tlsSchema = z
  .strictObject({
    cert: path,
    key: path,
    /** CA bundle that client certificates must chain to; enables mTLS. */
    clientCa: path.optional(),
    /** Refuse TLS clients without a certificate (needs clientCa). */
    requireClientCert: z.boolean().default(false),
  })
  .refine((tls) => !tls.requireClientCert || tls.clientCa !== undefined, {
    message: 'requireClientCert needs clientCa',
    path: ['requireClientCert'],
  });

/**
 * An OIDC realm. The identity service validates the details again at start
 * (service/identity/oidc-realm.ts is the reference for algorithms and bounds).
 */
const oidcRealmSchema = z.strictObject({
  /** Must equal the tokens' `iss` exactly. */
  issuer: z.string().min(1).max(1024),
  /** The tokens' `aud` must contain one of these. */
  audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  jwksUrl: httpUrl,
  /** JWT claim naming the principal (`oidc/<issuer>/<value>`); default `sub`. */
  principalClaim: z.string().min(1).optional(),
  /** JWT claim listing policy names (array or space-separated string). */
  policiesClaim: z.string().min(1).optional(),
  /** Accepted JWS algorithms (asymmetric only); default all the service supports. */
  algorithms: z.array(z.string().min(1)).min(1).optional(),
  clockToleranceSeconds: z.int().nonnegative().optional(),
  jwksCooldownSeconds: z.number().nonnegative().optional(),
  jwksCacheMaxAgeSeconds: z.number().positive().optional(),
  jwksTimeoutMs: z.int().positive().optional(),
});

/** Same shape as protocols/http/protection's rate limit: a token bucket. */
const rateLimitSchema = z.strictObject({
  points: z.int().positive(),
  durationSeconds: z.int().positive(),
  burstPoints: z.int().positive().optional(),
  burstDurationSeconds: z.int().positive().optional(),
});

const limitsSchema = z.strictObject({
  /** Largest request body accepted, in bytes. */
  bodyBytes: z
    .int()
    .positive()
    .default(1024 * 1024),
  /** Time a request may take, from its first byte to the response. */
  requestTimeoutMs: z.int().nonnegative().default(30_000),
  /** Time a connection may take to send its request headers. */
  connectionTimeoutMs: z.int().nonnegative().default(10_000),
  /** How long SIGTERM/SIGINT waits for in-flight requests before closing them. */
  shutdownTimeoutMs: z.int().nonnegative().default(10_000),
  rate: z
    .strictObject({
      perAddress: rateLimitSchema.optional(),
      perPrincipal: rateLimitSchema.optional(),
    })
    .prefault({}),
  authFailures: z
    .strictObject({
      maxFailures: z.int().positive().default(10),
      windowSeconds: z.int().positive().default(300),
    })
    .prefault({}),
  replay: z
    .strictObject({
      /** How far X-Custos-Timestamp may be from server time. */
      maxSkewMs: z.int().positive().default(300_000),
      /** How long a nonce is remembered. */
      nonceTtlMs: z.int().positive().default(600_000),
    })
    .prefault({}),
});

export const configSchema = z.strictObject({
  dataDir: path.default('./custos-data'),
  listen: listenAddress.default('127.0.0.1:8200'),
  kmipListen: listenAddress.default('127.0.0.1:5696'),
  store: storeSchema.prefault({ type: 'sqlite' }),
  seal: sealSchema.prefault({ type: 'dev-file' }),
  tls: tlsSchema.optional(),
  oidc: z.array(oidcRealmSchema).default([]),
  limits: limitsSchema.prefault({}),
  logging: z
    .strictObject({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    })
    .prefault({}),
  tracing: z
    .strictObject({
      /** OTLP/HTTP traces endpoint; tracing is off unless set. */
      otlpEndpoint: httpUrl.optional(),
      serviceName: z.string().min(1).default('custos'),
    })
    .prefault({}),
  /** The Vault Transit door (docs/vault.md): Transit mounts served under /v1/<mount>. */
  vault: z
    .strictObject({
      mounts: z
        .array(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/))
        .min(1)
        .default(['transit']),
    })
    .prefault({}),
  /** The AWS KMS door (docs/aws-kms.md): the region and account id its ARNs carry. */
  aws: z
    .strictObject({
      region: z
        .string()
        .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'expected an AWS region, e.g. us-east-1')
        .default('us-east-1'),
      accountId: z
        .string()
        .regex(/^\d{12}$/, 'expected 12 digits')
        .default('111122223333'),
    })
    .prefault({}),
  scheduler: z
    .strictObject({
      /** How often due rotations, deletions and expiries run. */
      intervalMs: z.int().positive().default(60_000),
      /** How long expired or revoked tokens and expired import parameters are kept before they are deleted. */
      purgeExpiredAfterMs: z.int().nonnegative().default(86_400_000),
    })
    .prefault({}),
  /** The audit log (docs/audit.md). */
  audit: z
    .strictObject({
      /** Sign a checkpoint once this many records follow the last one. */
      checkpointEvery: z.int().positive().default(1000),
      /** …or once this long has passed (and records follow it). */
      checkpointIntervalMs: z.int().positive().default(60_000),
      /** Encryption-context values in records: HMAC-SHA256 under the audit key, or in clear. */
      contextValues: z.enum(['hmac-sha256', 'clear']).default('hmac-sha256'),
      /** A second copy as JSON lines for log shippers; best effort. */
      sink: z
        .discriminatedUnion('type', [
          z.strictObject({ type: z.literal('file'), path }),
          z.strictObject({ type: z.literal('stdout') }),
        ])
        .optional(),
      /** Archive records older than maxAgeDays to a signed file in archiveDir, then prune them. */
      retention: z
        .strictObject({
          maxAgeDays: z.int().positive(),
          /** Default `<dataDir>/audit-archive`. */
          archiveDir: path.optional(),
        })
        .optional(),
    })
    .prefault({}),
});

export type Config = z.infer<typeof configSchema>;
export type TlsConfig = NonNullable<Config['tls']>;
export type OidcRealmConfig = Config['oidc'][number];
export type LimitsConfig = Config['limits'];
export type SealConfig = Config['seal'];
export type StoreConfig = Config['store'];
