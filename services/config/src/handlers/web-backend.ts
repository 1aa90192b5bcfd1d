import { DomainError, type RequestOf, type ResponseOf } from '@ferry/contracts';
import { asksForPage } from '@ferry/eventsourcing';
import type { FieldTexts } from '@ferry/read-store';
import { BodyText } from '@ferry/rpc';
import type { ActorKind } from '../actor/actor.ts';
import { actorIdOf } from '../projections/views.ts';
import { actorById, actorCommands, actorView, type ActorInput, definitionsOnce } from './actors.ts';
import { connectionById, liveConnectionTexts } from './connections.ts';
import { listBodyText, mergedObjectParts, streamedListBodyText, type TextParts } from './list-texts.ts';
import type { RequestContext } from './context.ts';
import type { ConfigDeps } from './deps.ts';

/**
 * An actor's masked view as JSON text, looked up once per answer: a list's connections often share their
 * actors, and its actors their definitions.
 */
const actorViewTexts = (deps: ConfigDeps) => {
  const texts = new Map<string, Promise<string>>();
  const definitionOf = {
    source: definitionsOnce(deps, 'source'),
    destination: definitionsOnce(deps, 'destination'),
  };
  return (kind: ActorKind, id: string) => {
    const key = `${kind} ${id}`;
    let text = texts.get(key);
    if (!text) {
      text = actorById(deps, kind, id).then(async (a) =>
        JSON.stringify(await actorView(deps, a, definitionOf[kind])),
      );
      texts.set(key, text);
    }
    return text;
  };
};

/** A connection as a web_backend item is made of it: its view's JSON text and its actors' ids. */
interface ConnectionParts {
  id: string;
  viewText: string;
  sourceId: string;
  destinationId: string;
}

/** The fields of a connection's document that `ConnectionParts` come from, as `findTexts` gives them. */
const PART_FIELDS = ['view', 'sourceId', 'destinationId'] as const;
const partsOf = ({ id, texts: [view, sourceId, destinationId] }: FieldTexts): ConnectionParts => ({
  id,
  viewText: view!,
  sourceId: JSON.parse(sourceId!) as string,
  destinationId: JSON.parse(destinationId!) as string,
});

/**
 * WbConnectionReads as JSON texts in parts: each connection's view with its masked source and destination and its
 * sync activity, the text `JSON.stringify` makes of `{ ...view, source, destination, lastSync, isSyncing }`
 * joined from the stored view's text and each actor's text. The jobs service is asked once for all of
 * them (one bus call per answer, not one per connection).
 */
const wbItemTexts = async (deps: ConfigDeps, connections: ConnectionParts[], ctx: RequestContext) => {
  const viewOf = actorViewTexts(deps);
  const connectionIds = connections.map((c) => c.id);
  const { activity } = await deps.call('listSyncActivity', { connectionIds }, ctx);
  return Promise.all(
    connections.map(async (connection, i) => {
      const [source, destination] = await Promise.all([
        viewOf('source', connection.sourceId),
        viewOf('destination', connection.destinationId),
      ]);
      const { lastSync, isSyncing } = activity[i]!;
      const actors = `{"source":${source},"destination":${destination}}`;
      return mergedObjectParts(connection.viewText, actors, JSON.stringify({ lastSync, isSyncing }));
    }),
  );
};

/**
 * Connections whose web_backend items a whole list makes and sends at a time. Made all at once, 10,000
 * connections' items and their actors' masked views were held together before the first byte went out,
 * which set the embedded process's most resident memory (issue 10, P4; ADR 0041). The connections' own
 * texts are the read store's, kept whole (ADR 0026): only the items are made a slice at a time.
 */
const WHOLE_LIST_SLICE = 500;

/**
 * A whole list's body, its items made a slice of `docs` at a time as the gateway sends it. The first
 * slice's are made here, before the answer goes out, so what fails at once (the jobs service's activity)
 * is still this call's error; a later slice that fails can only cut the answer short.
 */
const streamedListBody = async <T>(
  docs: FieldTexts[],
  items: (slice: FieldTexts[]) => Promise<TextParts[]>,
) => {
  const first = await items(docs.slice(0, WHOLE_LIST_SLICE));
  const slices = async function* () {
    yield first;
    for (let at = WHOLE_LIST_SLICE; at < docs.length; at += WHOLE_LIST_SLICE)
      yield items(docs.slice(at, at + WHOLE_LIST_SLICE));
  };
  return streamedListBodyText<T>('connections', slices());
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
    type List = ResponseOf<'webBackendListConnectionsForWorkspace'>;
    const { docs, nextPageToken } = await liveConnectionTexts(deps, req.workspaceId, PART_FIELDS, req);
    const items = (slice: FieldTexts[]) => wbItemTexts(deps, slice.map(partsOf), ctx);
    // A list of one slice or less is made at once: streaming it would only cost a small answer more.
    if (asksForPage(req) || docs.length <= WHOLE_LIST_SLICE)
      return { body: listBodyText<List>('connections', await items(docs), nextPageToken) };
    return { body: await streamedListBody<List>(docs, items) };
  },
  webBackendGetConnection: async (req: RequestOf<'webBackendGetConnection'>, ctx: RequestContext) => {
    const { id, view, sourceId, destinationId, revision } = await connectionById(deps, req.connectionId);
    const parts = { id, viewText: JSON.stringify(view), sourceId, destinationId };
    const [item] = await wbItemTexts(deps, [parts], ctx);
    return { body: new BodyText<ResponseOf<'webBackendGetConnection'>>(item!), etag: revision };
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
