import { z } from 'zod';
import { source, destination } from './actors.ts';
import { int64, optional } from './common.ts';
import { ConnectionRead } from './connection.ts';
import { destinationDefinition, sourceDefinition } from './definitions.ts';
import { pageRequestFields, pageResponseFields } from './paging.ts';
import { WorkspaceId, WorkspaceRead } from './workspace.ts';

/** Extensions of issue 11 (ADR 0010): the audit trail, versions of a resource, a workspace as it was. */

const time = z.iso.datetime({ offset: true });
const version = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const ResourceId = z.guid().meta({
  id: 'ResourceId',
  description: 'The id of a workspace, definition, source, destination or connection.',
});

export const JsonPatch = z
  .array(
    z.object({
      op: z.enum(['add', 'remove', 'replace']),
      path: z.string(),
      value: z.unknown().optional(),
    }),
  )
  .meta({
    id: 'JsonPatch',
    description:
      'RFC 6902, secrets masked. Path "" is the whole resource: added when it is created or restored from deleted, removed when it is deleted.',
  });

export const AuditListRequestBody = z
  .object({
    workspaceId: optional(WorkspaceId),
    resourceId: optional(z.string().min(1).max(200)),
    actor: optional(z.string().min(1).max(300)),
    types: optional(z.array(z.string().min(1).max(100)).min(1).max(100)),
    from: optional(time),
    to: optional(time),
    pageSize: optional(z.number().int().min(1).max(1000)).meta({ description: 'Default 100, at most 1000.' }),
    pageToken: optional(z.string().min(1).max(2000)),
  })
  .meta({ id: 'AuditListRequestBody' });

export const AuditEntry = z
  .object({
    id: z.string().meta({ description: 'The event id.' }),
    position: int64(),
    at: time,
    actor: z.string(),
    resourceType: z.string(),
    resourceId: z.string(),
    workspaceId: z.string().nullable(),
    type: z.string().meta({ description: 'The event type, e.g. ActorUpdated.' }),
    correlationId: z.string(),
    changes: JsonPatch,
  })
  .meta({ id: 'AuditEntry' });

export const AuditEntryList = z
  .object({
    entries: z.array(AuditEntry),
    nextPageToken: z.string().optional().meta({ description: 'Absent on the last page.' }),
  })
  .meta({ id: 'AuditEntryList' });

export const ResourceType = z
  .enum(['workspace', 'source_definition', 'destination_definition', 'source', 'destination', 'connection'])
  .meta({ id: 'ResourceType' });
export const ChangeType = z.enum(['created', 'updated', 'deleted', 'restored']).meta({ id: 'ChangeType' });

export const HistoryListRequestBody = z
  .object({ resourceId: ResourceId, ...pageRequestFields })
  .meta({ id: 'HistoryListRequestBody' });
export const HistoryVersion = z
  .object({ version, at: time, actor: z.string(), type: ChangeType, changes: JsonPatch })
  .meta({ id: 'HistoryVersion' });
export const HistoryRead = z
  .object({
    resourceType: ResourceType,
    resourceId: z.string(),
    versions: z.array(HistoryVersion),
    ...pageResponseFields,
  })
  .meta({ id: 'HistoryRead' });

export const HistoryVersionRequestBody = z
  .object({ resourceId: ResourceId, version: z.number().int() })
  .meta({ id: 'HistoryVersionRequestBody' });

/** A resource as it was at one version: what its `get` answered then. */
export const ResourceRead = z
  .union([
    WorkspaceRead,
    sourceDefinition.Read,
    destinationDefinition.Read,
    source.Read,
    destination.Read,
    ConnectionRead,
  ])
  .meta({
    id: 'ResourceRead',
    description: 'WorkspaceRead, SourceDefinitionRead, …, ConnectionRead; secrets masked.',
  });

export const HistoryVersionRead = z
  .object({
    resourceType: ResourceType,
    resourceId: z.string(),
    version,
    at: time,
    actor: z.string(),
    deleted: z.boolean(),
    resource: ResourceRead,
  })
  .meta({ id: 'HistoryVersionRead' });

export const HistoryDiffRequestBody = z
  .object({ resourceId: ResourceId, from: z.number().int(), to: z.number().int() })
  .meta({ id: 'HistoryDiffRequestBody' });
export const HistoryDiffRead = z
  .object({
    resourceType: ResourceType,
    resourceId: z.string(),
    from: version,
    to: version,
    patch: JsonPatch,
    summary: z.array(z.string()).meta({ description: 'One line per changed field, for people.' }),
  })
  .meta({ id: 'HistoryDiffRead' });

export const WorkspaceAsOfRequestBody = z
  .object({
    workspaceId: WorkspaceId,
    at: optional(time),
    position: optional(int64()),
  })
  .meta({
    id: 'WorkspaceAsOfRequestBody',
    description: 'Exactly one of `at` (a time) or `position` (in the event log).',
  });
export const WorkspaceAsOfRead = z
  .object({
    workspaceId: WorkspaceId,
    at: time.nullable().meta({ description: 'The time asked for, or the time of the event at `position`.' }),
    position: int64().meta({ description: 'The last event of the log the answer includes (0: none).' }),
    sources: z.array(source.Read),
    destinations: z.array(destination.Read),
    connections: z.array(ConnectionRead),
  })
  .meta({ id: 'WorkspaceAsOfRead' });

export type AuditListRequestBody = z.infer<typeof AuditListRequestBody>;
export type AuditEntry = z.infer<typeof AuditEntry>;
export type ResourceType = z.infer<typeof ResourceType>;
export type ChangeType = z.infer<typeof ChangeType>;

/** An event as the log holds it and as `ferry.events.>` and the SSE stream carry it (docs/bus.md). */
export const RecordedEventRead = z
  .object({
    id: z.string(),
    type: z.string(),
    data: z.record(z.string(), z.unknown()),
    metadata: z.object({
      actor: z.string(),
      correlationId: z.string(),
      causationId: z.string().nullable(),
      occurredAt: time,
      schemaVersion: z.number().int(),
    }),
    streamName: z.string(),
    revision: z.number().int().min(0),
    position: z.number().int().min(1),
  })
  .meta({ id: 'RecordedEvent' });

/** Internal: the events after `after`, for the gateway's event stream. */
export const EventsReadRequest = z.object({
  after: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  limit: z.number().int().min(1).max(1000),
});
export const EventsRead = z.object({ events: z.array(RecordedEventRead), head: int64() });
