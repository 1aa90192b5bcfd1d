import { notFound, type RequestOf } from '@ferry/contracts';
import { actorDecider, actorStream, type ActorKind } from '../actor/actor.ts';
import { createConfigurationValidator } from '../actor/configuration.ts';
import { connectionDecider, connectionStream } from '../connection/connection.ts';
import { actorsProjection } from '../projections/projections.ts';
import { COLLECTION, type ActorDoc, type ConnectionDoc } from '../projections/read-models.ts';
import { actorRead } from '../projections/views.ts';
import { mask } from '@ferry/secrets';
import { newEntityId, type RequestContext } from './context.ts';
import { definitionById } from './definitions.ts';
import { documentAfter, write, type ConfigDeps } from './deps.ts';
import { workspaceById } from './workspaces.ts';

export const actorById = async (deps: ConfigDeps, kind: ActorKind, id: string): Promise<ActorDoc> => {
  const doc = await deps.reads.get<ActorDoc>(COLLECTION.actors, id);
  if (!doc || doc.kind !== kind) throw notFound(kind, id);
  return doc;
};

/** SourceRead / DestinationRead: secrets masked, `sourceName` = the definition's name. */
/** Looks each definition up once: the sources of a list of thousands name the same few definitions. */
const definitionsOnce = (deps: ConfigDeps, kind: ActorKind) => {
  const seen = new Map<string, ReturnType<typeof definitionById>>();
  return (id: string) => {
    const known = seen.get(id) ?? definitionById(deps, kind, id);
    seen.set(id, known);
    return known;
  };
};

export const actorView = async (
  deps: ConfigDeps,
  doc: ActorDoc,
  definitionOf = (id: string) => definitionById(deps, doc.kind, id),
) => {
  const definition = await definitionOf(doc.definitionId);
  return actorRead(doc, definition.name, mask(doc.configuration));
};

export interface ActorInput {
  workspaceId: string;
  definitionId: string;
  name: string;
  connectionConfiguration: Record<string, unknown>;
}

/** Create, update, delete and read sources or destinations; `kind` says which. */
export const actorCommands = (deps: ConfigDeps) => {
  const validate = createConfigurationValidator();
  const specOf = async (kind: ActorKind, definitionId: string, ctx: RequestContext) => {
    const definition = await definitionById(deps, kind, definitionId);
    const probe = {
      kind,
      dockerRepository: definition.dockerRepository,
      dockerImageTag: definition.dockerImageTag,
    };
    return (await deps.call('probeConnectorImage', probe, ctx)).connectionSpecification;
  };
  /** Seal with the spec (a masked secret keeps the stored one), validate the plain result, return sealed. */
  const prepare = async (
    kind: ActorKind,
    definitionId: string,
    config: Record<string, unknown>,
    previous: Record<string, unknown> | undefined,
    ctx: RequestContext,
  ) => {
    const spec = await specOf(kind, definitionId, ctx);
    const sealed = deps.sealer.seal(config, spec, previous);
    // An invalid value is echoed from the sealed form: a secret in the answer would cross the bus in clear.
    validate(deps.sealer.unseal(sealed), spec, sealed);
    return sealed;
  };
  /**
   * Besides the actor's document, the view reads only its definition's name, which no event changes: an
   * answer built from the document at a command's own revision is the state right after that command.
   */
  const reply = async (doc: ActorDoc) => ({ body: await actorView(deps, doc), etag: doc.revision });
  const read = async (kind: ActorKind, id: string) => reply(await actorById(deps, kind, id));

  const create = async (kind: ActorKind, input: ActorInput, ctx: RequestContext) => {
    await workspaceById(deps, input.workspaceId);
    const configuration = await prepare(
      kind,
      input.definitionId,
      input.connectionConfiguration,
      undefined,
      ctx,
    );
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
    const { revision } = await write(deps, stream, actorDecider, { type: 'CreateActor', data }, ctx);
    return reply(await documentAfter(deps, actorsProjection, { stream, id: actorId, revision }));
  };

  const update = async (
    kind: ActorKind,
    id: string,
    req: { name: string; connectionConfiguration: Record<string, unknown> },
    ctx: RequestContext,
  ) => {
    const current = await actorById(deps, kind, id);
    const configuration = await prepare(
      kind,
      current.definitionId,
      req.connectionConfiguration,
      current.configuration,
      ctx,
    );
    const command = {
      type: 'UpdateActor' as const,
      data: { actorId: id, kind, name: req.name, configuration },
    };
    const stream = actorStream(kind, id);
    const { revision } = await write(deps, stream, actorDecider, command, ctx, true);
    return reply(await documentAfter(deps, actorsProjection, { stream, id, revision }));
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
    return { body: null };
  };

  const list = async (kind: ActorKind, workspaceId: string) => {
    await workspaceById(deps, workspaceId);
    const docs = await deps.reads.find<ActorDoc>(COLLECTION.actors, {
      where: { kind, workspaceId, deleted: false },
      orderBy: { field: 'name', direction: 'asc' },
    });
    const definitionOf = definitionsOnce(deps, kind);
    return { body: { [`${kind}s`]: await Promise.all(docs.map((d) => actorView(deps, d, definitionOf))) } };
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
    listSourcesForWorkspace: (req: RequestOf<'listSourcesForWorkspace'>) => a.list('source', req.workspaceId),
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
      a.list('destination', req.workspaceId),
    getDestination: (req: RequestOf<'getDestination'>) => a.read('destination', req.destinationId),
    deleteDestination: (req: RequestOf<'deleteDestination'>, ctx: RequestContext) =>
      a.remove('destination', req.destinationId, ctx),
    getActorConfiguration: (req: RequestOf<'getActorConfiguration'>) =>
      a.sealedConfiguration(req.kind, req.actorId),
  };
};
