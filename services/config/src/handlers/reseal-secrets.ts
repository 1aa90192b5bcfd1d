import { randomUUID } from 'node:crypto';
import { DomainError, principal } from '@ferry/contracts';
import type { EventStore } from '@ferry/event-store';
import { handleAndProject, type Projector, readState, startProjector } from '@ferry/eventsourcing';
import type { ReadStore } from '@ferry/read-store';
import type { SecretSealer } from '@ferry/secrets';
import { actorDecider, type ActorKind, actorStream } from '../actor/actor.ts';
import { configProjections } from '../projections/projections.ts';
import { COLLECTION, type ActorDoc } from '../projections/read-models.ts';

export interface ResealOptions {
  events: EventStore;
  reads: ReadStore;
  /** Seals under its keyring's current key; opens with any key of it. */
  sealer: SecretSealer;
  onError: (error: unknown) => void;
}

export interface ResealReport {
  /** Sources and destinations, deleted ones included. */
  actors: number;
  /** ActorSecretsResealed events appended. */
  resealed: number;
  /** Passes over every actor, the last of which found nothing left to re-seal. */
  passes: number;
}

/** A pass that keeps finding work means writers keep sealing under an old key: something is misconfigured. */
const MAX_PASSES = 10;
const CATCH_UP_MS = 60_000;

interface Pass {
  events: EventStore;
  projector: Projector;
  sealer: SecretSealer;
  correlationId: string;
}

/**
 * Re-seals one actor at the revision it was read at. A concurrent update makes the append a conflict
 * (`raced`): that update sealed under whatever key its writer had, so the next pass looks again.
 */
const resealOne = async (
  pass: Pass,
  kind: ActorKind,
  actorId: string,
): Promise<'current' | 'resealed' | 'raced'> => {
  const stream = actorStream(kind, actorId);
  const { state, revision } = await readState(pass.events, stream, actorDecider);
  if (state.status === 'absent' || !pass.sealer.needsReseal(state.configuration)) return 'current';
  const configuration = pass.sealer.reseal(state.configuration);
  const command = { type: 'ResealActorSecrets' as const, data: { actorId, kind, configuration } };
  const context = {
    actor: principal.keyRotation,
    correlationId: pass.correlationId,
    causationId: null,
    now: new Date(),
    expectedRevision: revision,
  };
  try {
    await handleAndProject(pass.events, pass.projector, stream, actorDecider, command, context);
    return 'resealed';
  } catch (error) {
    if (error instanceof DomainError && error.category === 'conflict') return 'raced';
    throw error;
  }
};

/** One pass over every actor the read model knows, once it has caught up with the whole log. */
const resealPass = async (pass: Pass, reads: ReadStore) => {
  const head = await pass.events.headPosition();
  if (head > 0) await pass.projector.waitFor(head, CATCH_UP_MS);
  const actors = await reads.find<ActorDoc>(COLLECTION.actors);
  const outcomes: string[] = [];
  for (const actor of actors) outcomes.push(await resealOne(pass, actor.kind, actor.id));
  return {
    actors: actors.length,
    resealed: outcomes.filter((o) => o === 'resealed').length,
    done: outcomes.every((o) => o === 'current'),
  };
};

/**
 * Seals every stored source and destination configuration again under the sealer's current key, through
 * the actor decider: an `ActorSecretsResealed` event (actor `system:key-rotation`) for each one holding a
 * value under another key. Passes repeat until one finds nothing left, so a write that raced a pass is
 * caught by the next. Runs its own projector of the config read models, beside any live config service.
 */
export const resealStoredSecrets = async (options: ResealOptions): Promise<ResealReport> => {
  const projector = await startProjector(options.events, options.reads, configProjections, options.onError);
  const pass = { ...options, projector, correlationId: randomUUID() };
  let resealed = 0;
  try {
    for (let passes = 1; passes <= MAX_PASSES; passes++) {
      const done = await resealPass(pass, options.reads);
      resealed += done.resealed;
      if (done.done) return { actors: done.actors, resealed, passes };
    }
    throw new Error(`secrets under an old key were still being written after ${MAX_PASSES} passes`);
  } finally {
    await projector.stop();
  }
};
