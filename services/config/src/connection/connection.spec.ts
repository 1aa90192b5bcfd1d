import { givenEvents } from '@ferry/eventsourcing/testing';
import { describe, expect, it } from 'vitest';
import { connectionDecider, type ConnectionEvent, type ConnectionFields } from './connection.ts';
import { normalizeScheduling, normalizeSchema } from './schema.ts';

const connection: ConnectionFields = {
  connectionId: 'c1',
  workspaceId: 'w',
  name: 'default',
  sourceId: 's',
  destinationId: 'd',
  syncMode: 'full_refresh',
  syncSchema: { streams: [] },
  status: 'active',
  schedule: null,
  scheduleType: 'manual',
  scheduleData: null,
};
const created: ConnectionEvent = { type: 'ConnectionCreated', data: connection };
const deprecated: ConnectionEvent = {
  type: 'ConnectionDeprecated',
  data: { connectionId: 'c1', reason: 'deleted' },
};
const settings = {
  syncSchema: { streams: [] },
  schedule: null,
  scheduleType: 'manual' as const,
  scheduleData: null,
};

describe('connectionDecider', () => {
  it('a deprecated connection cannot be re-activated', () => {
    givenEvents(connectionDecider, [created, deprecated])
      .when({ type: 'UpdateConnection', data: { connectionId: 'c1', status: 'active', ...settings } })
      .thenFails('connection.deprecated');
  });
  it('deprecating twice appends nothing the second time', () => {
    const command = { type: 'DeprecateConnection' as const, data: { connectionId: 'c1', reason: 'deleted' } };
    givenEvents(connectionDecider, [created]).when(command).thenEmits([deprecated]);
    givenEvents(connectionDecider, [created, deprecated]).when(command).thenEmits([]);
  });
});

describe('normalizeSchema', () => {
  it('fills defaults and derives selected from the fields, null counting as selected', () => {
    const schema = normalizeSchema({
      streams: [
        { name: 'public.users', fields: [{ name: 'id', dataType: 'number', selected: null }] },
        {
          name: 'Crème brûlée',
          fields: [{ name: 'a', dataType: 'string', selected: false }],
          selected: true,
        },
      ],
    });
    expect(schema.streams[0]).toEqual({
      name: 'public.users',
      cleanedName: 'public_users',
      fields: [{ name: 'id', cleanedName: 'id', dataType: 'number', selected: true }],
      supportedSyncModes: [],
      sourceDefinedCursor: null,
      defaultCursorField: [],
      selected: true,
      syncMode: null,
      cursorField: [],
    });
    expect(schema.streams[1]?.cleanedName).toBe('Creme_brulee');
    expect(schema.streams[1]?.selected).toBe(false);
  });
});

describe('normalizeScheduling', () => {
  const every = { units: 5, timeUnit: 'minutes' as const };
  it('reads the seed schedule and the later scheduleType/scheduleData alike', () => {
    expect(normalizeScheduling({ schedule: every })).toEqual({
      schedule: every,
      scheduleType: 'basic',
      scheduleData: { basicSchedule: every, cron: null },
    });
    expect(
      normalizeScheduling({ scheduleType: 'basic', scheduleData: { basicSchedule: every } }).schedule,
    ).toEqual(every);
    expect(normalizeScheduling({ schedule: null })).toEqual({
      schedule: null,
      scheduleType: 'manual',
      scheduleData: null,
    });
  });
  it('names the missing part of a basic or cron schedule', () => {
    expect(() => normalizeScheduling({ scheduleType: 'cron' })).toThrow(
      expect.objectContaining({ category: 'validation' }),
    );
  });
});
