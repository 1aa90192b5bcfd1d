import { fold } from '@ferry/eventsourcing';
import { givenEvents } from '@ferry/eventsourcing/testing';
import { describe, expect, it } from 'vitest';
import { actorDecider, type ActorEvent } from '../actor/actor.ts';
import { connectionDecider, type ConnectionEvent } from '../connection/connection.ts';

const actor = {
  actorId: 'a1',
  kind: 'source' as const,
  workspaceId: 'w',
  definitionId: 'd',
  name: 'v1',
  configuration: { host: 'h1' },
};
const created: ActorEvent = { type: 'ActorCreated', data: actor };
const deleted: ActorEvent = { type: 'ActorDeleted', data: { actorId: 'a1', kind: 'source' } };
const restore = {
  actorId: 'a1',
  kind: 'source' as const,
  name: 'v1',
  configuration: { host: 'h1' },
  restoredVersion: 1,
};

describe('restoring a version', () => {
  it('is a new event even when nothing differs, and undeletes an actor', () => {
    const restored: ActorEvent = { type: 'ActorRestored', data: restore };
    givenEvents(actorDecider, [created]).when({ type: 'RestoreActor', data: restore }).thenEmits([restored]);
    givenEvents(actorDecider, [created, deleted])
      .when({ type: 'RestoreActor', data: restore })
      .thenEmits([restored]);
    givenEvents(actorDecider, []).when({ type: 'RestoreActor', data: restore }).thenFails('source.not_found');
    expect(fold(actorDecider, [created, deleted, restored])).toMatchObject({ status: 'active', name: 'v1' });
  });

  it('brings a connection back with the version settings, never as deprecated', () => {
    const settings = {
      syncSchema: { streams: [] },
      schedule: null,
      scheduleType: 'manual' as const,
      scheduleData: null,
    };
    const createdConnection = {
      type: 'ConnectionCreated',
      data: {
        connectionId: 'c1',
        name: 'c',
        sourceId: 's',
        destinationId: 'd',
        syncMode: 'full_refresh',
        status: 'active',
        workspaceId: 'w',
        ...settings,
      },
    } as ConnectionEvent;
    const deprecated: ConnectionEvent = {
      type: 'ConnectionDeprecated',
      data: { connectionId: 'c1', reason: 'x' },
    };
    const data = { connectionId: 'c1', status: 'inactive' as const, restoredVersion: 1, ...settings };
    givenEvents(connectionDecider, [createdConnection, deprecated])
      .when({ type: 'RestoreConnection', data })
      .thenEmits([{ type: 'ConnectionRestored', data }]);
    givenEvents(connectionDecider, [createdConnection])
      .when({ type: 'RestoreConnection', data: { ...data, status: 'deprecated' } })
      .thenFails('connection.deprecated');
    const after = fold(connectionDecider, [
      createdConnection,
      deprecated,
      { type: 'ConnectionRestored', data },
    ]);
    expect(after).toMatchObject({
      status: 'present',
      connection: { status: 'inactive', syncSchema: { streams: [] } },
    });
  });
});
