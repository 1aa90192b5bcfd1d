import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import { natsSettingsProblems } from './nats-connection.ts';

export const SERVICES = ['gateway', 'config', 'jobs', 'runner', 'audit'] as const;
export type ServiceRole = (typeof SERVICES)[number];

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

/** A yes/no setting spelled `true` or `false`; empty is its default. */
const flag = (byDefault: 'true' | 'false') =>
  z
    .enum(['true', 'false', ''])
    .default(byDefault)
    .transform((v) => (v === '' ? byDefault : v) === 'true');

/**
 * Every setting Ferry reads, from the environment (README.md lists them). One process runs the services
 * named in FERRY_SERVICES: all of them in embedded mode, one each in distributed mode over NATS.
 */
export const Settings = z
  .object({
    FERRY_PORT: z.coerce.number().int().min(0).max(65535).default(8001),
    FERRY_HOST: z.string().default('0.0.0.0'),
    /** Port of this process's /healthz and /readyz (health.ts); unset: none. */
    FERRY_HEALTH_PORT: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z.coerce.number().int().min(0).max(65535).optional(),
    ),
    FERRY_DATA_DIR: z.string().default(resolve(process.cwd(), '.data')),
    FERRY_SERVICES: z
      .string()
      .default(SERVICES.join(','))
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.enum(SERVICES)).min(1)),
    LOCAL_ROOT: z.string().default('/tmp/airbyte_local'),
    NATS_URL: optionalString,
    /** How this process proves itself to NATS (at most one way) and checks the server (nats-connection.ts). */
    NATS_USER: optionalString,
    NATS_PASSWORD: optionalString,
    NATS_TOKEN: optionalString,
    NATS_NKEY_SEED_FILE: optionalString,
    NATS_CREDS_FILE: optionalString,
    NATS_TLS_CA: optionalString,
    NATS_TLS_CERT: optionalString,
    NATS_TLS_KEY: optionalString,
    /** `true`: the audit service also stores every event in the JetStream stream FERRY_EVENTS (needs NATS_URL). */
    FERRY_JETSTREAM: flag('false'),
    FERRY_EVENT_STORE_URL: optionalString,
    FERRY_READ_STORE_URL: optionalString,
    /** Older names of the two store URLs, still read when the new ones are unset. */
    EVENTSTORE_URL: optionalString,
    MONGODB_URL: optionalString,
    MONGODB_DATABASE: z.string().default('ferry'),
    FERRY_AUTH_USER: optionalString,
    FERRY_AUTH_PASSWORD: optionalString,
    FERRY_SECRET_KEY: optionalString,
    FERRY_CONNECTOR_RUNTIME: z.enum(['process', 'docker', 'auto', 'kubernetes']).default('process'),
    /**
     * `false`: no built-in connector process waits for its image's next run (ADR 0027); each run spawns its
     * own, as on a machine short of memory (each waiting process holds some 56 MB).
     */
    FERRY_CONNECTORS_STARTED_AHEAD: flag('true'),
    /** FERRY_CONNECTOR_RUNTIME=kubernetes: the namespace of connector Pods, and the claim behind their /local. */
    FERRY_KUBERNETES_NAMESPACE: optionalString,
    FERRY_KUBERNETES_LOCAL_CLAIM: optionalString,
    FERRY_DOCKER_NETWORK: z.string().default('none'),
    FERRY_SYNC_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(3),
    FERRY_SYNC_HEARTBEAT_MS: z.coerce.number().int().min(100).default(2_000),
    FERRY_SYNC_LEASE_MS: z.coerce.number().int().min(500).default(30_000),
    FERRY_SYNC_BACKOFF_MS: z.coerce.number().int().min(0).default(5_000),
    FERRY_SCHEDULER_TICK_MS: z.coerce.number().int().min(0).default(10_000),
    FERRY_CONNECTOR_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(60_000),
    FERRY_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(90_000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .refine((s) => !s.FERRY_JETSTREAM || Boolean(s.NATS_URL), {
    message: 'FERRY_JETSTREAM=true needs NATS_URL: JetStream is a NATS server feature',
  })
  .refine((s) => Boolean(s.FERRY_AUTH_USER) === Boolean(s.FERRY_AUTH_PASSWORD), {
    message: 'set both FERRY_AUTH_USER and FERRY_AUTH_PASSWORD, or neither',
  })
  .superRefine((s, ctx) => {
    for (const message of natsSettingsProblems(s)) ctx.addIssue({ code: 'custom', message });
  });
export type Settings = z.infer<typeof Settings>;

export const loadSettings = (env: Record<string, string | undefined> = process.env): Settings => {
  const parsed = Settings.safeParse(env);
  if (parsed.success)
    return { ...parsed.data, FERRY_DATA_DIR: resolve(parsed.data.FERRY_DATA_DIR.replace(/^~/, homedir())) };
  const problems = parsed.error.issues
    .map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`)
    .join('; ');
  throw new Error(`invalid configuration: ${problems}`);
};
