import { z } from 'zod';
import { pageResponseFields } from './paging.ts';
import { ConnectionStatus, ScheduleType, SyncMode, TimeUnit } from '../enums.ts';
import { optional, uuid } from './common.ts';
import { destination, source } from './actors.ts';
import { SourceSchema } from './schema.ts';

export const ConnectionId = uuid('ConnectionId');
export const ConnectionIdRequestBody = z
  .object({ connectionId: ConnectionId })
  .meta({ id: 'ConnectionIdRequestBody' });

export const ConnectionSchedule = z
  .object({ units: z.number().int().min(1).max(1_000_000), timeUnit: TimeUnit })
  .meta({ id: 'ConnectionSchedule', description: 'if null, then no schedule is set.' });

/** Extension with the field names Airbyte adopted later (`scheduleType` + `scheduleData`). */
export const ConnectionScheduleData = z
  .object({
    basicSchedule: optional(ConnectionSchedule),
    cron: optional(z.object({ cronExpression: z.string().min(1), cronTimeZone: z.string().min(1) })),
  })
  .meta({ id: 'ConnectionScheduleData' });

const scheduling = {
  schedule: optional(ConnectionSchedule),
  scheduleType: optional(ScheduleType),
  scheduleData: optional(ConnectionScheduleData),
};

/**
 * Extension, with the names later Airbyte versions use: where each stream lands at the destination. `source`:
 * the namespace the source gives it; `destination`: the destination's own default (its schema or database);
 * `customformat`: `namespaceFormat`, in which `${SOURCE_NAMESPACE}` stands for the source's. `prefix` goes
 * before every stream's name. Absent: streams land as in 2020 (the source's namespace, no prefix).
 */
export const NamespaceDefinitionType = z
  .enum(['source', 'destination', 'customformat'])
  .meta({ id: 'NamespaceDefinitionType' });
export const namespacing = {
  namespaceDefinition: optional(NamespaceDefinitionType),
  namespaceFormat: optional(z.string()),
  prefix: optional(z.string()),
};

export const ConnectionCreate = z
  .object({
    name: optional(z.string()),
    sourceId: source.Id,
    destinationId: destination.Id,
    syncMode: SyncMode,
    syncSchema: optional(SourceSchema),
    status: ConnectionStatus,
    ...scheduling,
    ...namespacing,
  })
  .meta({ id: 'ConnectionCreate' });

export const ConnectionUpdate = z
  .object({
    connectionId: ConnectionId,
    syncSchema: SourceSchema,
    status: ConnectionStatus,
    ...scheduling,
    // Omitted: kept as they are (a 2020 client does not know them).
    ...namespacing,
  })
  .meta({ id: 'ConnectionUpdate' });

export const connectionReadFields = {
  connectionId: ConnectionId,
  name: z.string(),
  sourceId: source.Id,
  destinationId: destination.Id,
  syncMode: SyncMode,
  syncSchema: SourceSchema,
  status: ConnectionStatus,
  ...scheduling,
  ...namespacing,
};
export const ConnectionRead = z.object(connectionReadFields).meta({ id: 'ConnectionRead' });
export const ConnectionReadList = z
  .object({ connections: z.array(ConnectionRead), ...pageResponseFields })
  .meta({ id: 'ConnectionReadList' });

export type ConnectionSchedule = z.infer<typeof ConnectionSchedule>;
export type ConnectionScheduleData = z.infer<typeof ConnectionScheduleData>;
export type ConnectionCreate = z.infer<typeof ConnectionCreate>;
export type ConnectionUpdate = z.infer<typeof ConnectionUpdate>;
export type ConnectionRead = z.infer<typeof ConnectionRead>;
export type NamespaceDefinitionType = z.infer<typeof NamespaceDefinitionType>;
