import { notFound, type RequestOf } from '@ferry/contracts';
import { actorDecider, actorStream, type ActorKind } from '../actor/actor.ts';
import { createConfigurationValidator } from '../actor/configuration.ts';
import { connectionDecider, connectionStream } from '../connection/connection.ts';
import { actorsProjection } from '../projections/projections.ts';
import { COLLECTION, type ActorDoc, type ConnectionDoc } from '../projections/read-models.ts';
import {
  type ActorDocOf,
  type DefinitionDocOf,
  type ActorReadOf,
  actorList,
  actorRead,
  isActorOf,
} from '../projections/views.ts';
import { mask } from '@ferry/secrets';
import { newEntityId, type RequestContext } from './context.ts';
import { definitionById } from './definitions.ts';
import { documentAfter, write, type ConfigDeps } from './deps.ts';
import { type DocumentLocation, type PageRequest, pageOf } from '@ferry/eventsourcing';
import { workspaceById } from './workspaces.ts';

export const actorById = async <K extends ActorKind>(
  deps: ConfigDeps,
  kind: K,
  id: string,
): Promise<ActorDocOf<K>> => {
  const doc = await deps.reads.get<ActorDoc>(COLLECTION.actors, id);
  if (!doc || !isActorOf(doc, kind)) throw notFound(kind, id);
  return doc;
};

/** Looks each definition up once: the sources of a list of thousands name the same few definitions. */
export const definitionsOnce = <K extends ActorKind>(deps: ConfigDeps, kind: K) => {
  const seen = new Map<string, Promise<DefinitionDocOf<K>>>();
  return (id: string) => {
    const known = seen.get(id) ?? definitionById(deps, kind, id);
    seen.set(id, known);
    return known;
  };
};

/** SourceRead / DestinationRead: secrets masked, `sourceName` = the definition's name. */
export const actorView = async <K extends ActorKind>(
  deps: ConfigDeps,
  doc: ActorDocOf<K>,
  definitionOf = (id: string) => definitionById(deps, doc.kind, id),
): Promise<ActorReadOf[K]> => {
  const definition = await definitionOf(doc.definitionId);
  return actorRead(doc, definition.name, mask(doc.configuration));
};

export interface ActorInput {
  workspaceId: string;
  definitionId: string;
  name: string;
  connectionConfiguration: Record<string, unknown>;
}

/** Images whose specs one service keeps at once: as many as there are definitions, in practice. */
const MAX_SPECS = 1_000;

/** Create, update, delete and read sources or destinations; `kind` says which. */
export const actorCommands = (deps: ConfigDeps) => {
  const validate = createConfigurationValidator();
  // The jobs service keeps one spec per image and never replaces it (`specCacheDecider`), so a spec once
  // answered is kept here: a create does not ask for it over the bus again. A failed probe is not kept.
  const specs = new Map<string, Record<string, unknown>>();
  const specOf = async (definition: DefinitionDocOf<ActorKind>, ctx: RequestContext) => {
    const image = `${definition.dockerRepository}:${definition.dockerImageTag}`;
    const known = specs.get(image);
    if (known) return known;
    const probe = {
      kind: definition.kind,
      dockerRepository: definition.dockerRepository,
      dockerImageTag: definition.dockerImageTag,
    };
    const spec = (await deps.call('probeConnectorImage', probe, ctx)).connectionSpecification;
    if (specs.size >= MAX_SPECS) specs.clear();
    specs.set(image, spec);
    return spec;
  };
  /** Seal with the spec (a masked secret keeps the stored one), validate the plain result, return sealed. */
  const prepare = async (
    definition: DefinitionDocOf<ActorKind>,
    config: Record<string, unknown>,
    previous: Record<string, unknown> | undefined,
    ctx: RequestContext,
  ) => {
    const spec = await specOf(definition, ctx);
    const sealed = deps.sealer.seal(config, spec, previous);
    // An invalid value is echoed from the sealed form: a secret in the answer would cross the bus in clear.
    validate(deps.sealer.unseal(sealed), spec, sealed);
    return sealed;
  };
  /**
   * Besides the actor's document, the view reads only its definition's name, which no event changes: an
   * answer built from the document at a command's own revision is the state right after that command, and
   * a command answers with the definition it read before deciding.
   */
  const reply = async <K extends ActorKind>(doc: ActorDocOf<K>, definition?: DefinitionDocOf<K>) => ({
    body: await actorView(deps, doc, definition && (async () => definition)),
    etag: doc.revision,
  });
  const read = async <K extends ActorKind>(kind: K, id: string) => reply(await actorById(deps, kind, id));
  /** The document a command of this kind made, of this kind, shown with its definition. */
  const after = async <K extends ActorKind>(
    kind: K,
    at: DocumentLocation,
    definition: DefinitionDocOf<K>,
  ) => {
    const doc = await documentAfter(deps, actorsProjection, at);
    if (!isActorOf(doc, kind)) throw new Error(`${at.stream} holds no ${kind}`);
    return reply(doc, definition);
  };

  const create = async <K extends ActorKind>(kind: K, input: ActorInput, ctx: RequestContext) => {
    await workspaceById(deps, input.workspaceId);
    const definition = await definitionById(deps, kind, input.definitionId);
    const configuration = await prepare(definition, input.connectionConfiguration, undefined, ctx);
    const actorId = newEntityId(kind === 'source' ? 'createSource' : 'createDestination', ctx);
    const data = {
      actorId,
      kind,
      workspaceId: input.workspaceId,
      definitionId: input.definitionId,
      name: input.name,
      configuration,
    };
    const stream = actorStream(kind, actorId);
    const { revision } = await write(deps, stream, actorDecider, { type: 'CreateActor', data }, ctx, {
      newStream: true,
    });
    return after(kind, { stream, id: actorId, revision }, definition);
  };

  const update = async <K extends ActorKind>(
    kind: K,
    id: string,
    req: { name: string; connectionConfiguration: Record<string, unknown> },
    ctx: RequestContext,
  ) => {
    const current = await actorById(deps, kind, id);
    const definition = await definitionById(deps, kind, current.definitionId);
    const configuration = await prepare(definition, req.connectionConfiguration, current.configuration, ctx);
    const command = {
      type: 'UpdateActor' as const,
      data: { actorId: id, kind, name: req.name, configuration },
    };
    const stream = actorStream(kind, id);
    const { revision } = await write(deps, stream, actorDecider, command, ctx, { ifMatch: true });
    return after(kind, { stream, id, revision }, definition);
  };

  /** Soft delete: every connection using it becomes deprecated first, then it is marked deleted. */
  const remove = async (kind: ActorKind, id: string, ctx: RequestContext) => {
    await actorById(deps, kind, id);
    const using = await deps.reads.find<ConnectionDoc>(COLLECTION.connections, {
      where: { [`${kind}Id`]: id, status: ['active', 'inactive'] },
    });
    for (const connection of using) {
      const command = {
        type: 'DeprecateConnection' as const,
        data: { connectionId: connection.id, reason: `${kind} ${id} deleted` },
      };
      await write(deps, connectionStream(connection.id), connectionDecider, command, ctx);
    }
    await write(
      deps,
      actorStream(kind, id),
      actorDecider,
      { type: 'DeleteActor', data: { actorId: id, kind } },
      ctx,
    );
    return { body: undefined };
  };

  /** By name, as the seed lists them; a page asked for is in id order (ADR 0013). */
  const list = async <K extends ActorKind>(kind: K, workspaceId: string, page: PageRequest) => {
    await workspaceById(deps, workspaceId);
    const where = { kind, workspaceId, deleted: false };
    const byName = { field: 'name', direction: 'asc' } as const;
    const { docs, nextPageToken } = await pageOf<ActorDoc>(
      deps.reads,
      COLLECTION.actors,
      where,
      page,
      byName,
    );
    const definitionOf = definitionsOnce(deps, kind);
    const ofKind = docs.filter((d): d is ActorDocOf<K> => isActorOf(d, kind));
    const reads = await Promise.all(ofKind.map((d) => actorView(deps, d, definitionOf)));
    return { body: { ...actorList(kind, reads), ...(nextPageToken && { nextPageToken }) } };
  };

  /** For the runner, through the jobs service: secrets stay sealed on the way (ADR 0005). */
  const sealedConfiguration = async (kind: ActorKind, id: string) => {
    const doc = await actorById(deps, kind, id);
    const definition = await definitionById(deps, kind, doc.definitionId);
    return {
      body: {
        kind,
        actorId: id,
        workspaceId: doc.workspaceId,
        definitionId: doc.definitionId,
        dockerRepository: definition.dockerRepository,
        dockerImageTag: definition.dockerImageTag,
        deleted: doc.deleted,
        configuration: doc.configuration,
      },
    };
  };

  return { create, update, remove, list, read, sealedConfiguration };
};

export const actorHandlers = (deps: ConfigDeps) => {
  const a = actorCommands(deps);
  return {
    createSource: (req: RequestOf<'createSource'>, ctx: RequestContext) =>
      a.create('source', { ...req, definitionId: req.sourceDefinitionId, name: req.name ?? 'default' }, ctx),
    updateSource: (req: RequestOf<'updateSource'>, ctx: RequestContext) =>
      a.update('source', req.sourceId, req, ctx),
    listSourcesForWorkspace: (req: RequestOf<'listSourcesForWorkspace'>) =>
      a.list('source', req.workspaceId, req),
    getSource: (req: RequestOf<'getSource'>) => a.read('source', req.sourceId),
    deleteSource: (req: RequestOf<'deleteSource'>, ctx: RequestContext) =>
      a.remove('source', req.sourceId, ctx),
    createDestination: (req: RequestOf<'createDestination'>, ctx: RequestContext) =>
      a.create(
        'destination',
        { ...req, definitionId: req.destinationDefinitionId, name: req.name ?? 'default' },
        ctx,
      ),
    updateDestination: (req: RequestOf<'updateDestination'>, ctx: RequestContext) =>
      a.update('destination', req.destinationId, req, ctx),
    listDestinationsForWorkspace: (req: RequestOf<'listDestinationsForWorkspace'>) =>
      a.list('destination', req.workspaceId, req),
    getDestination: (req: RequestOf<'getDestination'>) => a.read('destination', req.destinationId),
    deleteDestination: (req: RequestOf<'deleteDestination'>, ctx: RequestContext) =>
      a.remove('destination', req.destinationId, ctx),
    getActorConfiguration: (req: RequestOf<'getActorConfiguration'>) =>
      a.sealedConfiguration(req.kind, req.actorId),
    /**
     * A connector's CONTROL message, from the runner: the new configuration, checked against the spec and
     * sealed by it, becomes the actor's next version under its current name. A deleted actor keeps its last.
     */
    updateActorConfiguration: async (req: RequestOf<'updateActorConfiguration'>, ctx: RequestContext) => {
      const current = await actorById(deps, req.kind, req.actorId);
      if (current.deleted) return { body: { updated: false } };
      const connectionConfiguration = deps.sealer.unseal(req.configuration);
      await a.update(req.kind, req.actorId, { name: current.name, connectionConfiguration }, ctx);
      return { body: { updated: true } };
    },
  };
};
