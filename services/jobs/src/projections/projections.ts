import type { EventWithoutMetadata } from '@ferry/event-store';
import type { Projection } from '@ferry/eventsourcing';
import { jobDecider, type JobEvent, type JobState } from '../job/job.ts';
import type { SpecCached } from '../spec-cache/spec-cache.ts';
import type { ConnectionStateEvent } from '../connection-state/connection-state.ts';

/** A job as its read model keeps it: the decider's own state, so the two cannot disagree. */
export type JobDoc = { id: string } & Exclude<JobState, { status: 'absent' }> & Record<string, unknown>;
export interface SpecDoc extends Record<string, unknown> {
  id: string;
  connectionSpecification: Record<string, unknown>;
  documentationUrl: string | null;
}

export const COLLECTION = { jobs: 'jobs', specs: 'connector_specs', states: 'connection_states' } as const;

export interface ConnectionStateDoc extends Record<string, unknown> {
  id: string;
  jobId: number;
  state: Record<string, unknown> | null;
}

export const jobsProjection: Projection<JobDoc> = {
  name: 'jobs',
  collection: COLLECTION.jobs,
  handles: new Set([
    'JobCreated',
    'AttemptStarted',
    'AttemptProgressed',
    'AttemptSucceeded',
    'AttemptFailed',
    'JobCancelled',
  ]),
  // A job keeps no attempt's output (a spec, a catalog): a replay does not parse it.
  textFields: { AttemptSucceeded: ['output'] },
  documentId: (event) => String((event.data as { jobId: number }).jobId),
  evolve(doc, recorded) {
    const event = recorded as unknown as JobEvent;
    const state = jobDecider.evolve(doc ?? jobDecider.initialState, event);
    return state.status === 'absent' ? null : { ...state, id: String(state.jobId) };
  },
};

export const specsProjection: Projection<SpecDoc> = {
  name: 'connector_specs',
  collection: COLLECTION.specs,
  handles: new Set(['SpecCached']),
  // The spec is only copied into the document: a replay leaves it unparsed.
  textFields: { SpecCached: ['connectionSpecification'] },
  documentId: (event: EventWithoutMetadata) => (event.data as SpecCached['data']).image,
  evolve: (_doc, recorded) => {
    const { image, connectionSpecification, documentationUrl } = (recorded as unknown as SpecCached).data;
    return { id: image, connectionSpecification, documentationUrl };
  },
};

export const connectionStatesProjection: Projection<ConnectionStateDoc> = {
  name: 'connection_states',
  collection: COLLECTION.states,
  handles: new Set(['ConnectionStateSaved', 'ConnectionStateCleared']),
  documentId: (event) => (event.data as { connectionId: string }).connectionId,
  evolve: (_doc, recorded) => {
    const event = recorded as unknown as ConnectionStateEvent;
    const state = event.type === 'ConnectionStateSaved' ? event.data.state : null;
    return { id: event.data.connectionId, jobId: event.data.jobId, state };
  },
};

export const jobsProjections = [jobsProjection, specsProjection, connectionStatesProjection];
