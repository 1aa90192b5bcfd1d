import { ANY, jsonEvent, NO_STREAM, type RecordedEvent, START } from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { isOurs, MissingPositionError, readPosition, toExpectedRevision, toRecorded } from './mapping.ts';

function recorded(overrides: Partial<RecordedEvent>): RecordedEvent {
  const data = jsonEvent({ type: 'SourceCreated', data: { name: 'pg' }, metadata: { actor: 'ann' } });
  return {
    streamId: 'source-1',
    id: data.id,
    isJson: true,
    revision: 2n,
    type: 'SourceCreated',
    created: new Date(),
    data: { name: 'pg' },
    metadata: { actor: 'ann' },
    position: { commit: 4242n, prepare: 4242n },
    ...overrides,
  } as RecordedEvent;
}

describe('EventStoreDB mapping', () => {
  it('maps expected revisions to the client constants and bigints', () => {
    expect([toExpectedRevision('any'), toExpectedRevision('no_stream'), toExpectedRevision(3)]).toEqual([
      ANY,
      NO_STREAM,
      3n,
    ]);
  });

  it('reads from the start for position 0 and from the commit position otherwise', () => {
    expect(readPosition(0)).toBe(START);
    expect(readPosition(4242)).toEqual({ commit: 4242n, prepare: 4242n });
  });

  it('turns a recorded event into ours, with the commit position as global position', () => {
    expect(toRecorded(recorded({}))).toMatchObject({ streamName: 'source-1', revision: 2, position: 4242 });
  });

  it('refuses an event without a real $all position', () => {
    const placeholder = recorded({ position: { commit: 2n ** 64n - 1n, prepare: 2n ** 64n - 1n } });
    expect(() => toRecorded(placeholder)).toThrow(MissingPositionError);
    expect(() => toRecorded(recorded({ position: undefined }))).toThrow(MissingPositionError);
  });

  it("leaves out the server's own streams and event types", () => {
    expect(isOurs(recorded({}))).toBe(true);
    expect(isOurs(recorded({ streamId: '$stats-127.0.0.1:2113' }))).toBe(false);
    expect(isOurs(recorded({ type: '$metadata' }))).toBe(false);
  });
});
