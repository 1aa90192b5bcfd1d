import { DomainError, type RequestOf } from '@ferry/contracts';
import type { ActorKind } from '../actor/actor.ts';
import type { ConnectionDoc } from '../projections/read-models.ts';
import { actorIdOf } from '../projections/views.ts';
import { actorById, actorCommands, actorView, type ActorInput } from './actors.ts';
import { connectionById, liveConnections } from './connections.ts';
import type { RequestContext } from './context.ts';
import type { ConfigDeps } from './deps.ts';

/** An actor's masked view, looked up once per answer: a list's connections often share their actors. */
const actorViews = (deps: ConfigDeps) => {
  const views = new Map<string, Promise<unknown>>();
  return <K extends ActorKind>(kind: K, id: string) => {
    const key = `${kind} ${id}`;
    let view = views.get(key);
    if (!view) {
      view = actorById(deps, kind, id).then((a) => actorView(deps, a));
      views.set(key, view);
    }
    return view as ReturnType<typeof actorView<K>>;
  };
};

/**
 * WbConnectionReads: each connection with its masked source and destination and its sync activity. The
 * jobs service is asked once for all of them (one bus call per answer, not one per connection).
 */
const wbViews = async (deps: ConfigDeps, docs: ConnectionDoc[], ctx: RequestContext) => {
  const viewOf = actorViews(deps);
  const { activity } = await deps.call('listSyncActivity', { connectionIds: docs.map((d) => d.id) }, ctx);
  return Promise.all(
    docs.map(async (doc, i) => {
      const [source, destination] = await Promise.all([
        viewOf('source', doc.sourceId),
        viewOf('destination', doc.destinationId),
      ]);
      const { lastSync, isSyncing } = activity[i]!;
      return { ...doc.view, source, destination, lastSync, isSyncing };
    }),
  );
};

/**
 * Create, then check; a failed check deletes what was created and answers 400, which Airbyte's web app
 * shows as "could not connect". The check runs as a job through the jobs service.
 */
const createChecked = async <K extends ActorKind>(
  deps: ConfigDeps,
  kind: K,
  input: ActorInput,
  ctx: RequestContext,
) => {
  const actors = actorCommands(deps);
  const created = await actors.create(kind, input, ctx);
  const id = actorIdOf(kind, created.body);
  const check = await checkOrFail(deps, kind, id, ctx);
  if (check.status === 'succeeded') return { created, id };
  await actors.remove(kind, id, ctx);
  throw new DomainError({
    code: `${kind}.check_failed`,
    category: 'bad_request',
    message: `Unable to connect to ${kind}`,
  });
};

const checkOrFail = async (deps: ConfigDeps, kind: ActorKind, id: string, ctx: RequestContext) => {
  try {
    return kind === 'source'
      ? await deps.call('checkConnectionToSource', { sourceId: id }, ctx)
      : await deps.call('checkConnectionToDestination', { destinationId: id }, ctx);
  } catch (error) {
    // The check could not run at all: do not leave an unchecked item behind.
    await actorCommands(deps).remove(kind, id, ctx);
    throw error;
  }
};

const recreate = async <K extends ActorKind>(
  deps: ConfigDeps,
  kind: K,
  oldId: string,
  input: ActorInput,
  ctx: RequestContext,
) => {
  await actorById(deps, kind, oldId);
  const { created } = await createChecked(deps, kind, input, ctx);
  await actorCommands(deps).remove(kind, oldId, ctx);
  return created;
};

export const webBackendHandlers = (deps: ConfigDeps) => ({
  webBackendListConnectionsForWorkspace: async (
    req: RequestOf<'webBackendListConnectionsForWorkspace'>,
    ctx: RequestContext,
  ) => {
    const { docs, nextPageToken } = await liveConnections(deps, req.workspaceId, req);
    const connections = await wbViews(deps, docs, ctx);
    return { body: { connections, ...(nextPageToken && { nextPageToken }) } };
  },
  webBackendGetConnection: async (req: RequestOf<'webBackendGetConnection'>, ctx: RequestContext) => {
    const doc = await connectionById(deps, req.connectionId);
    const [view] = await wbViews(deps, [doc], ctx);
    return { body: view!, etag: doc.revision };
  },
  webBackendCreateSource: async (req: RequestOf<'webBackendCreateSource'>, ctx: RequestContext) =>
    (
      await createChecked(
        deps,
        'source',
        { ...req, definitionId: req.sourceDefinitionId, name: req.name ?? 'default' },
        ctx,
      )
    ).created,
  webBackendCreateDestination: async (req: RequestOf<'webBackendCreateDestination'>, ctx: RequestContext) =>
    (
      await createChecked(
        deps,
        'destination',
        { ...req, definitionId: req.destinationDefinitionId, name: req.name ?? 'default' },
        ctx,
      )
    ).created,
  webBackendRecreateSource: (req: RequestOf<'webBackendRecreateSource'>, ctx: RequestContext) =>
    recreate(deps, 'source', req.sourceId, { ...req, definitionId: req.sourceDefinitionId }, ctx),
  webBackendRecreateDestination: (req: RequestOf<'webBackendRecreateDestination'>, ctx: RequestContext) =>
    recreate(
      deps,
      'destination',
      req.destinationId,
      { ...req, definitionId: req.destinationDefinitionId },
      ctx,
    ),
});
