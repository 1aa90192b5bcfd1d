import {
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

const normalizeStream = (stream: SourceSchemaStream): SourceSchemaStream => {
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
  };
};

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
