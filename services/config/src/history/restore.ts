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
import { type ConfigDeps, restoreAndShow } from '../handlers/deps.ts';
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
  const command = { type: 'RestoreActor' as const, data };
  const doc = await restoreAndShow(deps, actorsProjection, { stream, id }, actorDecider, command, ctx);
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
  const command = { type: 'RestoreConnection' as const, data };
  const doc = await restoreAndShow(
    deps,
    connectionsProjection,
    { stream, id },
    connectionDecider,
    command,
    ctx,
  );
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
  const command = { type: 'RestoreWorkspace' as const, data };
  const doc = await restoreAndShow(
    deps,
    workspacesProjection,
    { stream, id },
    workspaceDecider,
    command,
    ctx,
  );
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
  const command = { type: 'RestoreDefinition' as const, data };
  const doc = await restoreAndShow(
    deps,
    definitionsProjection,
    { stream, id },
    definitionDecider,
    command,
    ctx,
  );
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
