import {
  illegalState,
  notFound,
  type ConnectionRead,
  type RequestOf,
  type ResponseOf,
} from '@ferry/contracts';
import { type Page, type PageRequest, textPageOf } from '@ferry/eventsourcing';
import type { FieldTexts } from '@ferry/read-store';
import { connectionDecider, connectionStream } from '../connection/connection.ts';
import { namespacingOf, normalizeScheduling, normalizeSchema } from '../connection/schema.ts';
import { connectionsProjection } from '../projections/projections.ts';
import { COLLECTION, type ConnectionDoc } from '../projections/read-models.ts';
import { actorById } from './actors.ts';
import { newEntityId, type RequestContext } from './context.ts';
import { documentAfter, write, type ConfigDeps } from './deps.ts';
import { listBodyText } from './list-texts.ts';
import { workspaceById } from './workspaces.ts';

export const connectionById = async (deps: ConfigDeps, id: string): Promise<ConnectionDoc> => {
  const doc = await deps.reads.get<ConnectionDoc>(COLLECTION.connections, id);
  if (!doc) throw notFound('connection', id);
  return doc;
};

/**
 * Connections of a workspace that are not deprecated, by id: all of them, or the page asked for; of each,
 * the stored texts of `fields` of its document (`ConnectionDoc`), so a list joins them unparsed.
 */
export const liveConnectionTexts = async (
  deps: ConfigDeps,
  workspaceId: string,
  fields: ReadonlyArray<keyof ConnectionDoc & string>,
  page: PageRequest = {},
): Promise<Page<FieldTexts>> => {
  await workspaceById(deps, workspaceId);
  const where = { workspaceId, status: ['active', 'inactive'] };
  return textPageOf(deps.reads, COLLECTION.connections, fields, where, page);
};

const reply = (doc: ConnectionDoc) => ({ body: doc.view, etag: doc.revision });

/** Source and destination must exist and not be deleted (ours: the 2020 server did not check). */
const liveActor = async (deps: ConfigDeps, kind: 'source' | 'destination', id: string) => {
  const actor = await actorById(deps, kind, id);
  if (actor.deleted) throw notFound(kind, id);
  return actor;
};

export const connectionHandlers = (deps: ConfigDeps) => ({
  createConnection: async (req: RequestOf<'createConnection'>, ctx: RequestContext) => {
    const source = await liveActor(deps, 'source', req.sourceId);
    await liveActor(deps, 'destination', req.destinationId);
    if (req.status === 'deprecated')
      throw illegalState('connection.deprecated', 'a new connection cannot be deprecated');
    const connectionId = newEntityId('createConnection', ctx);
    const view: ConnectionRead = {
      connectionId,
      name: req.name ?? 'default',
      sourceId: req.sourceId,
      destinationId: req.destinationId,
      syncMode: req.syncMode,
      syncSchema: normalizeSchema(req.syncSchema),
      status: req.status,
      ...normalizeScheduling(req),
      ...namespacingOf(req),
    };
    const command = { type: 'CreateConnection' as const, data: { ...view, workspaceId: source.workspaceId } };
    const stream = connectionStream(connectionId);
    const { revision } = await write(deps, stream, connectionDecider, command, ctx);
    return reply(await documentAfter(deps, connectionsProjection, { stream, id: connectionId, revision }));
  },
  updateConnection: async (req: RequestOf<'updateConnection'>, ctx: RequestContext) => {
    await connectionById(deps, req.connectionId);
    const data = {
      connectionId: req.connectionId,
      syncSchema: normalizeSchema(req.syncSchema),
      status: req.status,
      ...normalizeScheduling(req),
      ...namespacingOf(req),
    };
    const stream = connectionStream(req.connectionId);
    const command = { type: 'UpdateConnection' as const, data };
    const { revision } = await write(deps, stream, connectionDecider, command, ctx, true);
    const at = { stream, id: req.connectionId, revision };
    return reply(await documentAfter(deps, connectionsProjection, at));
  },
  listConnectionsForWorkspace: async (req: RequestOf<'listConnectionsForWorkspace'>) => {
    const { docs, nextPageToken } = await liveConnectionTexts(deps, req.workspaceId, ['view'], req);
    // Each item is the stored view's text, which is its ConnectionRead as JSON.stringify wrote it.
    const views = docs.map((d) => d.texts[0]!);
    return {
      body: listBodyText<ResponseOf<'listConnectionsForWorkspace'>>('connections', views, nextPageToken),
    };
  },
  getConnection: async (req: RequestOf<'getConnection'>) =>
    reply(await connectionById(deps, req.connectionId)),
  /** For the scheduler: every connection with a schedule that is not deprecated, in every workspace. */
  listScheduledConnections: async () => {
    const docs = await deps.reads.find<ConnectionDoc>(COLLECTION.connections, {
      where: { status: ['active', 'inactive'] },
    });
    const scheduled = docs.filter((d) => d.view.scheduleType !== 'manual' && d.view.scheduleType !== null);
    return {
      body: {
        connections: scheduled.map((d) => ({
          connectionId: d.id,
          status: d.status,
          scheduleType: d.view.scheduleType ?? 'manual',
          schedule: d.view.schedule ?? null,
          cron: d.view.scheduleData?.cron ?? null,
        })),
      },
    };
  },
  deleteConnection: async (req: RequestOf<'deleteConnection'>, ctx: RequestContext) => {
    await connectionById(deps, req.connectionId);
    const command = {
      type: 'DeprecateConnection' as const,
      data: { connectionId: req.connectionId, reason: 'deleted' },
    };
    await write(deps, connectionStream(req.connectionId), connectionDecider, command, ctx);
    return { body: undefined };
  },
});
