import { givenEvents } from '@ferry/eventsourcing/testing';
import { describe, it } from 'vitest';
import { actorDecider, type ActorEvent } from './actor.ts';

const fields = {
  actorId: 'a1',
  kind: 'source' as const,
  workspaceId: 'w',
  definitionId: 'd',
  name: 'pg',
  configuration: { host: 'h' },
};
const created: ActorEvent = { type: 'ActorCreated', data: fields };
const deleted: ActorEvent = { type: 'ActorDeleted', data: { actorId: 'a1', kind: 'source' } };

describe('actorDecider', () => {
  it('creates once: a retried create with the same id changes nothing', () => {
    givenEvents(actorDecider, []).when({ type: 'CreateActor', data: fields }).thenEmits([created]);
    givenEvents(actorDecider, [created]).when({ type: 'CreateActor', data: fields }).thenEmits([]);
  });
  it('refuses to update an unknown or deleted actor', () => {
    const update = {
      type: 'UpdateActor' as const,
      data: { actorId: 'a1', kind: 'source' as const, name: 'x', configuration: {} },
    };
    givenEvents(actorDecider, []).when(update).thenFails('source.not_found');
    givenEvents(actorDecider, [created, deleted]).when(update).thenFails('source.deleted');
  });
  it('deletes softly, and deleting twice is harmless', () => {
    const remove = { type: 'DeleteActor' as const, data: { actorId: 'a1', kind: 'source' as const } };
    givenEvents(actorDecider, [created]).when(remove).thenEmits([deleted]);
    givenEvents(actorDecider, [created, deleted]).when(remove).thenEmits([]);
    givenEvents(actorDecider, []).when(remove).thenFails('source.not_found');
  });
  it('reseals a live or deleted actor, and refuses an unknown one', () => {
    const data = { actorId: 'a1', kind: 'source' as const, configuration: { host: 'h', password: 'sealed' } };
    const reseal = { type: 'ResealActorSecrets' as const, data };
    const resealed: ActorEvent = { type: 'ActorSecretsResealed', data };
    givenEvents(actorDecider, [created]).when(reseal).thenEmits([resealed]);
    givenEvents(actorDecider, [created, deleted]).when(reseal).thenEmits([resealed]);
    givenEvents(actorDecider, []).when(reseal).thenFails('source.not_found');
  });
});
