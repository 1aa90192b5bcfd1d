import { z } from 'zod';
import { JobConfigType } from './enums.ts';
import { connectionReadFields } from './models/connection.ts';

/**
 * The events Ferry stores and publishes on `ferry.events.<aggregate>.<EventType>`: for each, the stream
 * categories (aggregates) it occurs in and the schema of its `data`. The AsyncAPI document is generated from
 * this list, and tests/asyncapi.spec.ts checks every event a run of Ferry stores against it, so a change to
 * an event that is not made here too fails a test.
 */
export interface EventContract {
  type: string;
  aggregates: readonly string[];
  summary: string;
  data: z.ZodObject;
}

const id = z.string();
const epochSeconds = z.number().int();
/** Secrets inside are sealed (`{"_ferry_sealed": …}`), never plain (ADR 0005). */
const sealedConfiguration = z.record(z.string(), z.unknown());
const kind = z.enum(['source', 'destination']);
const restoredVersion = z.number().int().min(1);
const preferences = {
  email: z.string().nullable(),
  initialSetupComplete: z.boolean(),
  onboardingComplete: z.boolean(),
  anonymousDataCollection: z.boolean(),
  news: z.boolean(),
  securityUpdates: z.boolean(),
};
const {
  connectionId: _connectionId,
  name: _name,
  sourceId,
  destinationId,
  syncMode,
  ...settings
} = connectionReadFields;
const attempt = { jobId: z.number().int(), attempt: z.number().int(), at: epochSeconds };
const counts = { recordsSynced: z.number().int().nullable(), bytesSynced: z.number().int().nullable() };

const event = (
  type: string,
  aggregates: readonly string[],
  summary: string,
  data: z.ZodRawShape,
): EventContract => ({ type, aggregates, summary, data: z.object(data) });

const ACTORS = ['source', 'destination'] as const;

export const eventContracts: readonly EventContract[] = [
  event('WorkspaceCreated', ['workspace'], 'A workspace was created', {
    workspaceId: id,
    customerId: id,
    name: z.string(),
    slug: z.string(),
    ...preferences,
  }),
  event('WorkspaceUpdated', ['workspace'], "A workspace's preferences changed", {
    workspaceId: id,
    ...preferences,
  }),
  event('WorkspaceRestored', ['workspace'], "A past version's preferences were made current", {
    workspaceId: id,
    ...preferences,
    restoredVersion,
  }),
  event('DefinitionCreated', ['definition'], 'A source or destination definition was added', {
    definitionId: id,
    kind,
    name: z.string(),
    dockerRepository: z.string(),
    dockerImageTag: z.string(),
    documentationUrl: z.string().nullable(),
  }),
  event('DefinitionImageUpdated', ['definition'], "A definition's image tag changed", {
    definitionId: id,
    kind,
    dockerImageTag: z.string(),
  }),
  event('DefinitionRestored', ['definition'], "A past version's image tag was made current", {
    definitionId: id,
    kind,
    dockerImageTag: z.string(),
    restoredVersion,
  }),
  event('ActorCreated', ACTORS, 'A source or destination was created', {
    actorId: id,
    kind,
    workspaceId: id,
    definitionId: id,
    name: z.string(),
    configuration: sealedConfiguration,
  }),
  event('ActorUpdated', ACTORS, "A source's or destination's name or configuration changed", {
    actorId: id,
    kind,
    name: z.string(),
    configuration: sealedConfiguration,
  }),
  event('ActorDeleted', ACTORS, 'A source or destination was deleted (softly)', { actorId: id, kind }),
  event('ActorSecretsResealed', ACTORS, 'The secrets of a configuration were sealed again under a new key', {
    actorId: id,
    kind,
    configuration: sealedConfiguration,
  }),
  event('ActorRestored', ACTORS, 'A past version was made current again, undeleted', {
    actorId: id,
    kind,
    name: z.string(),
    configuration: sealedConfiguration,
    restoredVersion,
  }),
  event('ConnectionCreated', ['connection'], 'A connection was created', {
    ...connectionReadFields,
    workspaceId: id,
  }),
  event('ConnectionUpdated', ['connection'], "A connection's catalog, status or schedule changed", {
    connectionId: id,
    ...settings,
  }),
  event('ConnectionDeprecated', ['connection'], 'A connection was deleted (deprecated)', {
    connectionId: id,
    reason: z.string(),
  }),
  event('ConnectionRestored', ['connection'], "A past version's settings were made current again", {
    connectionId: id,
    ...settings,
    restoredVersion,
  }),
  event('ApiTokenCreated', ['apiToken'], 'An API token was created (its scrypt hash, never the token)', {
    tokenId: id,
    name: z.string(),
    role: z.enum(['admin', 'read']),
    salt: z.string(),
    hash: z.string(),
    createdAt: epochSeconds,
  }),
  event('ApiTokenUsed', ['apiToken'], 'An API token was used (at most once a minute)', {
    tokenId: id,
    at: epochSeconds,
  }),
  event('ApiTokenRevoked', ['apiToken'], 'An API token was revoked', { tokenId: id, at: epochSeconds }),
  event('JobRegistered', ['jobledger'], 'A job id was given out', {
    jobId: z.number().int(),
    configType: JobConfigType,
    configId: z.string(),
    exclusive: z.boolean(),
    idempotencyKey: z.string().nullable(),
  }),
  event('JobReleased', ['jobledger'], 'A job that ended let its connection go', {
    configId: z.string(),
    jobId: z.number().int(),
  }),
  event('JobCreated', ['job'], 'A job was created', {
    jobId: z.number().int(),
    configType: JobConfigType,
    configId: z.string(),
    createdAt: epochSeconds,
    maxAttempts: z.number().int(),
    connectionVersion: z.number().int().min(1).optional(),
  }),
  event('AttemptStarted', ['job'], 'An attempt of a job started', { ...attempt, logPath: z.string() }),
  event('AttemptProgressed', ['job'], 'A running attempt reported its records and bytes so far', {
    ...attempt,
    recordsSynced: z.number().int(),
    bytesSynced: z.number().int(),
    /** The records the source expects in all (its TRACE estimates), once it gave one. */
    estimatedRecords: z.number().int().nullable().optional(),
  }),
  event('AttemptSucceeded', ['job'], 'An attempt succeeded', {
    ...attempt,
    ...counts,
    output: z.record(z.string(), z.unknown()).nullable(),
  }),
  event('AttemptFailed', ['job'], 'An attempt failed; `final` when no retry follows', {
    ...attempt,
    ...counts,
    reason: z.string(),
    final: z.boolean(),
  }),
  event('JobCancelled', ['job'], 'A job was cancelled', { jobId: z.number().int(), at: epochSeconds }),
  event(
    'ConnectionStateSaved',
    ['connectionstate'],
    "A succeeded sync saved its cursor state; per-stream states (today's protocol) also from a failed attempt",
    {
      connectionId: id,
      jobId: z.number().int(),
      /** The attempt that saved it; absent on events from before per-stream states. */
      attempt: z.number().int().optional(),
      state: z.record(z.string(), z.unknown()),
    },
  ),
  event('ConnectionStateCleared', ['connectionstate'], 'A reset cleared the saved state', {
    connectionId: id,
    jobId: z.number().int(),
  }),
  event('SpecCached', ['connectorspec'], 'The spec an image answered was kept', {
    image: z.string(),
    connectionSpecification: z.record(z.string(), z.unknown()),
    documentationUrl: z.string().nullable(),
    jobId: z.number().int(),
  }),
  event('ScheduledSyncFired', ['schedule'], 'The scheduler asked for a due sync', {
    connectionId: id,
    dueAt: epochSeconds,
    at: epochSeconds,
  }),
  event('ScheduledSyncStarted', ['schedule'], 'The sync a fire asked for is this job', {
    connectionId: id,
    dueAt: epochSeconds,
    jobId: z.number().int(),
  }),
  event('ScheduledSyncFailed', ['schedule'], 'Asking for a due sync failed; it is fired again later', {
    connectionId: id,
    dueAt: epochSeconds,
    reason: z.string(),
    at: epochSeconds,
  }),
  event(
    'ScheduledSyncSkipped',
    ['schedule'],
    'A due sync did not run (one was running, or the connection is off)',
    {
      connectionId: id,
      dueAt: epochSeconds,
      reason: z.enum(['running', 'inactive']),
    },
  ),
];

/** The contract of an event type, `undefined` for one Ferry does not know. */
export const eventContractOf = (type: string): EventContract | undefined =>
  eventContracts.find((contract) => contract.type === type);
