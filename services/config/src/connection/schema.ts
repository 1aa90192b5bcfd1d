import {
  type ConnectionRead,
  DomainError,
  type ConnectionSchedule,
  type ConnectionScheduleData,
  type ScheduleType,
  type SourceSchema,
  type SourceSchemaStream,
} from '@ferry/contracts';
import { cleanedName } from '@ferry/protocol';
import { validateCron } from '@ferry/cron';

/**
 * Fills every optional field of a schema the way reads return it (`null` scalars, `[]` arrays) and
 * recomputes each stream's `selected` as "any of its fields is selected" (a field's `null` counts as
 * selected: Airbyte's web app sends it on create).
 */
export const normalizeSchema = (schema: SourceSchema | null | undefined): SourceSchema => ({
  streams: (schema?.streams ?? []).map(normalizeStream),
});

/** append_dedup needs a key: the stream's own `primaryKey`, else the one its source defined. */
const checkDedup = (stream: SourceSchemaStream, index: number) => {
  if (stream.destinationSyncMode !== 'append_dedup') return;
  if (stream.primaryKey?.length || stream.sourceDefinedPrimaryKey?.length) return;
  const propertyPath = `syncSchema.streams[${index}].primaryKey`;
  const message = `stream ${stream.name}: append_dedup needs a primaryKey (the source defines none)`;
  throw new DomainError({
    code: 'validation',
    category: 'validation',
    message,
    validationErrors: [{ propertyPath, message, invalidValue: stream.primaryKey ?? null }],
  });
};

const normalizeStream = (stream: SourceSchemaStream, index: number): SourceSchemaStream => {
  checkDedup(stream, index);
  const fields = stream.fields.map((f) => ({
    name: f.name,
    cleanedName: f.cleanedName ?? cleanedName(f.name),
    dataType: f.dataType,
    selected: f.selected ?? true,
  }));
  return {
    name: stream.name,
    cleanedName: stream.cleanedName ?? cleanedName(stream.name),
    fields,
    supportedSyncModes: stream.supportedSyncModes ?? [],
    sourceDefinedCursor: stream.sourceDefinedCursor ?? null,
    defaultCursorField: stream.defaultCursorField ?? [],
    selected: fields.some((f) => f.selected),
    syncMode: stream.syncMode ?? null,
    cursorField: stream.cursorField ?? [],
    ...extensionsOf(stream),
  };
};

/**
 * The fields of later Airbyte versions (ADR 0004) appear on the streams that use them only, so a 2020
 * client sees the streams it always saw.
 */
const extensionsOf = (stream: SourceSchemaStream): Partial<SourceSchemaStream> => ({
  ...(stream.namespace ? { namespace: stream.namespace } : {}),
  ...(stream.sourceDefinedPrimaryKey?.length
    ? { sourceDefinedPrimaryKey: stream.sourceDefinedPrimaryKey }
    : {}),
  ...(stream.destinationSyncMode ? { destinationSyncMode: stream.destinationSyncMode } : {}),
  ...(stream.primaryKey?.length ? { primaryKey: stream.primaryKey } : {}),
});

type Namespacing = Pick<ConnectionRead, 'namespaceDefinition' | 'namespaceFormat' | 'prefix'>;

/**
 * The namespace rule a request sets (extensions, ADR 0004): only the fields it names, so an update from a
 * client that does not know them keeps them as they were; a connection without any reads as in 2020.
 */
export const namespacingOf = (input: Namespacing): Namespacing => ({
  ...(input.namespaceDefinition ? { namespaceDefinition: input.namespaceDefinition } : {}),
  ...(input.namespaceFormat != null ? { namespaceFormat: input.namespaceFormat } : {}),
  ...(input.prefix != null ? { prefix: input.prefix } : {}),
});

export interface Scheduling {
  schedule: ConnectionSchedule | null;
  scheduleType: ScheduleType;
  scheduleData: ConnectionScheduleData | null;
}

/**
 * One schedule, whichever way the client said it: the seed's `schedule` (null = manual), or the later
 * `scheduleType` + `scheduleData`. Reads return both forms, consistent with each other.
 */
export const normalizeScheduling = (input: {
  schedule?: ConnectionSchedule | null | undefined;
  scheduleType?: ScheduleType | null | undefined;
  scheduleData?: ConnectionScheduleData | null | undefined;
}): Scheduling => {
  const type = input.scheduleType ?? (input.schedule ? 'basic' : 'manual');
  if (type === 'manual') return { schedule: null, scheduleType: 'manual', scheduleData: null };
  if (type === 'basic') {
    const basic = input.scheduleData?.basicSchedule ?? input.schedule;
    if (!basic)
      throw invalidSchedule('scheduleData.basicSchedule', 'a basic schedule needs units and timeUnit');
    return { schedule: basic, scheduleType: 'basic', scheduleData: { basicSchedule: basic, cron: null } };
  }
  const cron = input.scheduleData?.cron;
  if (!cron)
    throw invalidSchedule('scheduleData.cron', 'a cron schedule needs cronExpression and cronTimeZone');
  const problem = validateCron(cron.cronExpression, cron.cronTimeZone);
  if (problem) throw invalidSchedule('scheduleData.cron.cronExpression', problem);
  return { schedule: null, scheduleType: 'cron', scheduleData: { basicSchedule: null, cron } };
};

const invalidSchedule = (propertyPath: string, message: string) =>
  new DomainError({
    code: 'validation',
    category: 'validation',
    message,
    validationErrors: [{ propertyPath, message, invalidValue: null }],
  });
