import { z } from 'zod';
import { deadlineClassOf } from './deadlines.ts';
import { EventsRead, EventsReadRequest } from './models/history.ts';

/**
 * Operations between services that no HTTP client may call: not routed by the gateway, not in the
 * OpenAPI document, but validated and typed from the same table as the public ones.
 */
const kind = z.enum(['source', 'destination']);
const image = { dockerRepository: z.string().min(1), dockerImageTag: z.string().min(1) };

export const ConnectorImageRequest = z.object({ kind, ...image });
export const ConnectorSpecRead = z.object({
  // A connector spec: JSON Schema draft 7.
  connectionSpecification: z.record(z.string(), z.unknown()),
  documentationUrl: z.string().nullable(),
});
export const ActorConfigurationRequest = z.object({ kind, actorId: z.guid() });
export const ActorConfigurationRead = z.object({
  kind,
  actorId: z.string(),
  workspaceId: z.string(),
  definitionId: z.string(),
  ...image,
  deleted: z.boolean(),
  /** As stored: every secret still sealed (`{"_ferry_sealed": …}`); only the runner unseals it (ADR 0005). */
  configuration: z.record(z.string(), z.unknown()),
});

/**
 * One connector command of a job's attempt, run by a runner; its log goes to `logPath`. `config` has its
 * secrets sealed: the runner unseals them right before it writes the connector's configuration file.
 */
export const ConnectorCommandRequest = z.object({
  jobId: z.number().int(),
  attempt: z.number().int(),
  image: z.string().min(1),
  command: z.enum(['spec', 'check', 'discover']),
  config: z.record(z.string(), z.unknown()).nullable(),
  logPath: z.string(),
  timeoutMs: z.number().int().positive(),
});
/** `output` is the SPEC, CONNECTION_STATUS or CATALOG message the connector printed. */
export const ConnectorCommandResult = z.object({
  succeeded: z.boolean(),
  failureReason: z.string().nullable(),
  output: z.record(z.string(), z.unknown()).nullable(),
});

const connector = z.object({
  image: z.string().min(1),
  /** Secrets sealed, as in ConnectorCommandRequest. */
  config: z.record(z.string(), z.unknown()),
  /** The source or destination it is: where a configuration the connector sends back (CONTROL) goes. */
  actorId: z.string().optional(),
});

/**
 * A connector asked, with a CONTROL message, for its configuration to be replaced (a refreshed token): the
 * runner sends it with every value that was sealed sealed again; the config service stores it as the
 * actor's new configuration version (ActorUpdated), checked against the spec and sealed by that spec.
 */
export const ActorConfigurationUpdate = z.object({
  kind,
  actorId: z.guid(),
  configuration: z.record(z.string(), z.unknown()),
});
export const ActorConfigurationUpdated = z.object({ updated: z.boolean() });

/**
 * One attempt of a sync or reset, handed to a runner (queue group `ferry-runner`). The runner answers
 * `{accepted: true}` at once and works in the background: it reports progress every
 * `heartbeatIntervalMs` (the jobs service fails an attempt whose heartbeats stop) and its outcome at the end.
 * A reset has no source: the destination gets the catalog in full refresh/overwrite and no records.
 */
export const SyncAttemptRequest = z.object({
  jobId: z.number().int(),
  attempt: z.number().int(),
  kind: z.enum(['sync', 'reset']),
  connectionId: z.string(),
  source: connector.nullable(),
  destination: connector,
  /** A ConfiguredAirbyteCatalog (the selected streams only). */
  catalog: z.record(z.string(), z.unknown()),
  /** The state of the last succeeded attempt, or null to start from scratch. */
  state: z.record(z.string(), z.unknown()).nullable(),
  logPath: z.string(),
  heartbeatIntervalMs: z.number().int().positive(),
  /**
   * The connection's namespace rule (extension): where each stream lands at the destination. Absent: as
   * the source names it, as in 2020.
   */
  namespacing: z
    .object({
      definition: z.enum(['source', 'destination', 'customformat']),
      format: z.string().nullable(),
      prefix: z.string(),
    })
    .nullable()
    .optional(),
});
export const SyncAttemptAccepted = z.object({ accepted: z.boolean() });

const progress = {
  jobId: z.number().int(),
  attempt: z.number().int(),
  recordsSynced: z.number().int().min(0),
  bytesSynced: z.number().int().min(0),
  /** The records the source expects to send in all (its TRACE estimates), once it gave one. */
  estimatedRecords: z.number().int().min(0).nullable().optional(),
};
/** A runner's heartbeat: the attempt is alive and this far. The answer says whether the job was cancelled. */
export const AttemptProgress = z.object(progress);
export const AttemptProgressAck = z.object({ cancelled: z.boolean() });
/** The end of an attempt. `state` is the last state the destination committed; only a success stores it. */
export const AttemptOutcome = z.object({
  ...progress,
  succeeded: z.boolean(),
  failureReason: z.string().nullable(),
  state: z.record(z.string(), z.unknown()).nullable(),
});
export const AttemptOutcomeAck = z.object({ recorded: z.boolean() });

/** Every connection with a schedule that is not deprecated, for the scheduler. */
export const ScheduledConnectionsRead = z.object({
  connections: z.array(
    z.object({
      connectionId: z.string(),
      /** Inactive ones are listed too, so the scheduler can record why a due sync did not run. */
      status: z.enum(['active', 'inactive', 'deprecated']),
      scheduleType: z.enum(['manual', 'basic', 'cron']),
      schedule: z
        .object({
          units: z.number().int(),
          timeUnit: z.enum(['minutes', 'hours', 'days', 'weeks', 'months']),
        })
        .nullable(),
      cron: z.object({ cronExpression: z.string(), cronTimeZone: z.string() }).nullable(),
    }),
  ),
});

/**
 * The gateway asks whether a bearer token is valid (ADR 0009). It sends the token's SHA-256 digest, never
 * the token; a valid answer names the role and records a use (at most once a minute per token).
 */
export const ApiTokenVerifyRequest = z.object({
  tokenId: z.guid(),
  digest: z.string().regex(/^[0-9a-f]{64}$/),
});
export const ApiTokenVerification = z.object({
  valid: z.boolean(),
  role: z.enum(['admin', 'read']).nullable(),
});

/**
 * The sync activity of connections, for a web_backend list (one call per answer, not one per connection):
 * per connection asked, the creation time of its newest sync job (null: never synced) and whether a sync
 * job of it is pending, running or incomplete. In the order asked.
 */
export const SyncActivityRequest = z.object({ connectionIds: z.array(z.string()) });
export const SyncActivityRead = z.object({
  activity: z.array(
    z.object({ connectionId: z.string(), lastSync: z.number().int().nullable(), isSyncing: z.boolean() }),
  ),
});

/** Whether a service's stores answer; the gateway's readiness route asks each service for it. */
export const StoresReadiness = z.object({ eventStore: z.boolean(), readStore: z.boolean() });

const internal = <
  Id extends string,
  Req extends z.ZodType,
  Res extends z.ZodType,
  Service extends 'config' | 'jobs' | 'runner' | 'audit',
>(
  operationId: Id,
  path: string,
  request: Req,
  response: Res,
  service: Service,
) => ({
  operationId,
  path,
  deadline: deadlineClassOf(path),
  method: 'POST' as const,
  tag: 'internal',
  summary: operationId,
  request,
  response,
  service,
  errors: [404] as readonly number[],
});

export const internalOperations = [
  /** Runs `spec` on an image (cached per repository:tag); 422 when the image does not answer it. */
  internal(
    'probeConnectorImage',
    '/internal/connector_images/spec',
    ConnectorImageRequest,
    ConnectorSpecRead,
    'jobs',
  ),
  internal(
    'getActorConfiguration',
    '/internal/actors/configuration',
    ActorConfigurationRequest,
    ActorConfigurationRead,
    'config',
  ),
  internal(
    'updateActorConfiguration',
    '/internal/actors/configuration/update',
    ActorConfigurationUpdate,
    ActorConfigurationUpdated,
    'config',
  ),
  internal(
    'runConnectorCommand',
    '/internal/runner/command',
    ConnectorCommandRequest,
    ConnectorCommandResult,
    'runner',
  ),
  internal('runSyncAttempt', '/internal/runner/sync', SyncAttemptRequest, SyncAttemptAccepted, 'runner'),
  /** Whether any runner answers: an attempt is started only then, so a runner outage consumes no attempts. */
  internal('pingRunner', '/internal/runner/ping', z.object({}), z.object({ ready: z.boolean() }), 'runner'),
  internal('reportAttemptProgress', '/internal/jobs/progress', AttemptProgress, AttemptProgressAck, 'jobs'),
  internal('reportAttemptOutcome', '/internal/jobs/outcome', AttemptOutcome, AttemptOutcomeAck, 'jobs'),
  internal(
    'listSyncActivity',
    '/internal/jobs/sync_activity/list',
    SyncActivityRequest,
    SyncActivityRead,
    'jobs',
  ),
  internal('checkConfigReadiness', '/internal/config/ready', z.object({}), StoresReadiness, 'config'),
  internal('checkJobsReadiness', '/internal/jobs/ready', z.object({}), StoresReadiness, 'jobs'),
  internal(
    'listScheduledConnections',
    '/internal/connections/scheduled',
    z.object({}),
    ScheduledConnectionsRead,
    'config',
  ),
  internal(
    'verifyApiToken',
    '/internal/api_tokens/verify',
    ApiTokenVerifyRequest,
    ApiTokenVerification,
    'config',
  ),
  /** The log after a position, for the gateway's event stream (`GET /v1/events`). */
  internal('readEvents', '/internal/events/read', EventsReadRequest, EventsRead, 'audit'),
] as const;

export type ActorConfigurationRead = z.infer<typeof ActorConfigurationRead>;
export type ConnectorSpecRead = z.infer<typeof ConnectorSpecRead>;
export type ConnectorCommandRequest = z.infer<typeof ConnectorCommandRequest>;
export type ConnectorCommandResult = z.infer<typeof ConnectorCommandResult>;
export type SyncAttemptRequest = z.infer<typeof SyncAttemptRequest>;
export type AttemptProgress = z.infer<typeof AttemptProgress>;
export type AttemptOutcome = z.infer<typeof AttemptOutcome>;
export type ScheduledConnectionsRead = z.infer<typeof ScheduledConnectionsRead>;
export type SyncActivityRead = z.infer<typeof SyncActivityRead>;

/** Published (not requested) to every runner: stop the attempts of this job now. */
export const RUNNER_CANCEL_SUBJECT = 'ferry.internal.runner.cancel';
