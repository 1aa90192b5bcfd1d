import { conflict, type RequestOf } from '@ferry/contracts';
import type { RecordedEvent } from '@ferry/event-store';
import type { Decider, DomainEvent } from '@ferry/eventsourcing';
import { SecretKeyMissingError } from '@ferry/secrets';
import { actorDecider, type ActorKind, actorStream } from '../actor/actor.ts';
import { connectionDecider, connectionStream } from '../connection/connection.ts';
import { definitionDecider, definitionStream } from '../definition/definition.ts';
import { actorById, actorView } from '../handlers/actors.ts';
import type { RequestContext } from '../handlers/context.ts';
import { definitionView } from '../handlers/definitions.ts';
import { type ConfigDeps, documentAfter, write } from '../handlers/deps.ts';
import {
  actorsProjection,
  connectionsProjection,
  definitionsProjection,
  workspacesProjection,
} from '../projections/projections.ts';
import { workspaceDecider, workspaceStream } from '../workspace/workspace.ts';
import { historyOf, versionOf } from './versions.ts';

/** The aggregate's state right after the first `version` events: what restoring that version brings back. */
const stateAt = <C, S, E extends DomainEvent>(
  decider: Decider<C, S, E>,
  events: RecordedEvent[],
  version: number,
) =>
  events
    .slice(0, version)
    .reduce((state, event) => decider.evolve(state, event as unknown as E), decider.initialState);

/** Restored secrets are sealed under the current key; a version whose key was retired cannot come back. */
const currentlySealed = (deps: ConfigDeps, configuration: Record<string, unknown>, version: number) => {
  try {
    return deps.sealer.needsReseal(configuration) ? deps.sealer.reseal(configuration) : configuration;
  } catch (error) {
    if (!(error instanceof SecretKeyMissingError)) throw error;
    throw conflict(
      `version ${version} cannot be restored: its secrets were sealed under a key that has been retired`,
      'history.secret_key_retired',
    );
  }
};

const restoreActor = async (
  deps: ConfigDeps,
  kind: ActorKind,
  id: string,
  events: RecordedEvent[],
  version: number,
  ctx: RequestContext,
) => {
  const state = stateAt(actorDecider, events, version);
  if (state.status === 'absent') throw conflict(`${kind} ${id} did not exist at version ${version}`);
  const configuration = currentlySealed(deps, state.configuration, version);
  const data = { actorId: id, kind, name: state.name, configuration, restoredVersion: version };
  const stream = actorStream(kind, id);
  const { revision } = await write(deps, stream, actorDecider, { type: 'RestoreActor', data }, ctx, true);
  const doc = await documentAfter(deps, actorsProjection, { stream, id, revision });
  return { body: await actorView(deps, doc), etag: doc.revision };
};

/** A connection needs its source and destination: restoring it while one is deleted would break that rule. */
const restoreConnection = async (
  deps: ConfigDeps,
  id: string,
  events: RecordedEvent[],
  version: number,
  ctx: RequestContext,
) => {
  const state = stateAt(connectionDecider, events, version);
  if (state.status === 'absent') throw conflict(`connection ${id} did not exist at version ${version}`);
  const { connection } = state;
  for (const kind of ['source', 'destination'] as const) {
    const actorId = connection[`${kind}Id`];
    const actor = await actorById(deps, kind, actorId).catch(() => null);
    if (!actor || actor.deleted)
      throw conflict(
        `connection ${id} cannot be restored: its ${kind} ${actorId} is deleted; restore the ${kind} first`,
        `history.${kind}_deleted`,
      );
  }
  const data = {
    connectionId: id,
    syncSchema: connection.syncSchema,
    // A deleted connection comes back switched off: restoring it must not start its syncs behind anyone's back.
    status: connection.status === 'deprecated' ? ('inactive' as const) : connection.status,
    schedule: connection.schedule,
    scheduleType: connection.scheduleType,
    scheduleData: connection.scheduleData,
    restoredVersion: version,
  };
  const stream = connectionStream(id);
  const { revision } = await write(
    deps,
    stream,
    connectionDecider,
    { type: 'RestoreConnection', data },
    ctx,
    true,
  );
  const doc = await documentAfter(deps, connectionsProjection, { stream, id, revision });
  return { body: doc.view, etag: doc.revision };
};

const restoreWorkspace = async (
  deps: ConfigDeps,
  id: string,
  events: RecordedEvent[],
  version: number,
  ctx: RequestContext,
) => {
  const state = stateAt(workspaceDecider, events, version);
  if (state.status === 'absent') throw conflict(`workspace ${id} did not exist at version ${version}`);
  const { status: _status, customerId: _c, name: _n, slug: _s, ...preferences } = state;
  const data = { ...preferences, workspaceId: id, restoredVersion: version };
  const stream = workspaceStream(id);
  const { revision } = await write(
    deps,
    stream,
    workspaceDecider,
    { type: 'RestoreWorkspace', data },
    ctx,
    true,
  );
  const doc = await documentAfter(deps, workspacesProjection, { stream, id, revision });
  return { body: doc.view, etag: doc.revision };
};

const restoreDefinition = async (
  deps: ConfigDeps,
  id: string,
  events: RecordedEvent[],
  version: number,
  ctx: RequestContext,
) => {
  const state = stateAt(definitionDecider, events, version);
  if (state.status === 'absent') throw conflict(`definition ${id} did not exist at version ${version}`);
  const data = {
    definitionId: id,
    kind: state.kind,
    dockerImageTag: state.dockerImageTag,
    restoredVersion: version,
  };
  const stream = definitionStream(id);
  const { revision } = await write(
    deps,
    stream,
    definitionDecider,
    { type: 'RestoreDefinition', data },
    ctx,
    true,
  );
  const doc = await documentAfter(deps, definitionsProjection, { stream, id, revision });
  return { body: definitionView(doc), etag: doc.revision };
};

/**
 * `history/restore`: a new event makes the version's content current, undeleting the resource; history
 * itself is never rewritten. `If-Match` is honoured, so a restore based on a stale read answers 409.
 */
export const restoreVersion =
  (deps: ConfigDeps) => async (req: RequestOf<'restoreResourceVersion'>, ctx: RequestContext) => {
    const history = await historyOf(deps, req.resourceId);
    const { version } = versionOf(history, 'version', req.version);
    const { events, category } = history;
    switch (category) {
      case 'source':
      case 'destination':
        return restoreActor(deps, category, req.resourceId, events, version, ctx);
      case 'connection':
        return restoreConnection(deps, req.resourceId, events, version, ctx);
      case 'workspace':
        return restoreWorkspace(deps, req.resourceId, events, version, ctx);
      default:
        return restoreDefinition(deps, req.resourceId, events, version, ctx);
    }
  };
