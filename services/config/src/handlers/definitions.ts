import { notFound, type RequestOf } from '@ferry/contracts';
import {
  definitionDecider,
  definitionStream,
  type DefinitionFields,
  type DefinitionKind,
} from '../definition/definition.ts';
import { definitionsProjection } from '../projections/projections.ts';
import { COLLECTION, type DefinitionDoc } from '../projections/read-models.ts';
import {
  type DefinitionDocOf,
  definitionList,
  definitionRead,
  isDefinitionOf,
} from '../projections/views.ts';
import { type DocumentLocation, type PageRequest, pageOf } from '@ferry/eventsourcing';
import { newEntityId, type RequestContext } from './context.ts';
import { documentAfter, write, type ConfigDeps } from './deps.ts';

export const definitionById = async <K extends DefinitionKind>(
  deps: ConfigDeps,
  kind: K,
  id: string,
): Promise<DefinitionDocOf<K>> => {
  const doc = await deps.reads.get<DefinitionDoc>(COLLECTION.definitions, id);
  if (!doc || !isDefinitionOf(doc, kind)) throw notFound(`${kind}_definition`, id);
  return doc;
};

/** The API view of a definition: the id under its kind's name. */
export const definitionView = definitionRead;

const reply = <K extends DefinitionKind>(doc: DefinitionDocOf<K>) => ({
  body: definitionRead(doc),
  etag: doc.revision,
});

/**
 * The handlers of one kind. Creating or changing the image asks the connector for its spec first: an
 * image that does not answer `spec` is refused with 422 (the jobs service runs it as a get_spec job).
 */
const kindHandlers = <K extends DefinitionKind>(deps: ConfigDeps, kind: K) => {
  /** The document a command of this kind made, of this kind. */
  const after = async (at: DocumentLocation) => {
    const doc = await documentAfter(deps, definitionsProjection, at);
    if (!isDefinitionOf(doc, kind)) throw new Error(`${at.stream} holds no ${kind} definition`);
    return reply(doc);
  };
  const specOp =
    kind === 'source' ? 'getSourceDefinitionSpecification' : 'getDestinationDefinitionSpecification';
  const create = async (req: RequestOf<'createSourceDefinition'>, ctx: RequestContext) => {
    const definitionId = newEntityId(
      kind === 'source' ? 'createSourceDefinition' : 'createDestinationDefinition',
      ctx,
    );
    const data: DefinitionFields = { definitionId, kind, ...req };
    await deps.call(
      'probeConnectorImage',
      { kind, dockerRepository: req.dockerRepository, dockerImageTag: req.dockerImageTag },
      ctx,
    );
    const stream = definitionStream(definitionId);
    const command = { type: 'CreateDefinition' as const, data };
    const { revision } = await write(deps, stream, definitionDecider, command, ctx, { newStream: true });
    return after({ stream, id: definitionId, revision });
  };
  const update = async (req: { definitionId: string; dockerImageTag: string }, ctx: RequestContext) => {
    const current = await definitionById(deps, kind, req.definitionId);
    await deps.call(
      'probeConnectorImage',
      { kind, dockerRepository: current.dockerRepository, dockerImageTag: req.dockerImageTag },
      ctx,
    );
    const command = { type: 'UpdateDefinitionImage' as const, data: { ...req, kind } };
    const stream = definitionStream(req.definitionId);
    const { revision } = await write(deps, stream, definitionDecider, command, ctx, { ifMatch: true });
    return after({ stream, id: req.definitionId, revision });
  };
  /** By name, as the seed lists them; a page asked for is in id order (ADR 0013). */
  const list = async (page: PageRequest | null | undefined) => {
    const byName = { field: 'name', direction: 'asc' } as const;
    const { docs, nextPageToken } = await pageOf<DefinitionDoc>(
      deps.reads,
      COLLECTION.definitions,
      { kind },
      page,
      byName,
    );
    const reads = docs.filter((d) => isDefinitionOf(d, kind)).map(definitionRead);
    return { body: { ...definitionList(kind, reads), ...(nextPageToken && { nextPageToken }) } };
  };
  const get = async (id: string) => reply(await definitionById(deps, kind, id));
  return { create, update, list, get, specOp };
};

export const definitionHandlers = (deps: ConfigDeps) => {
  const s = kindHandlers(deps, 'source');
  const d = kindHandlers(deps, 'destination');
  return {
    createSourceDefinition: s.create,
    updateSourceDefinition: (req: RequestOf<'updateSourceDefinition'>, ctx: RequestContext) =>
      s.update({ definitionId: req.sourceDefinitionId, dockerImageTag: req.dockerImageTag }, ctx),
    listSourceDefinitions: s.list,
    getSourceDefinition: (req: RequestOf<'getSourceDefinition'>) => s.get(req.sourceDefinitionId),
    createDestinationDefinition: d.create,
    updateDestinationDefinition: (req: RequestOf<'updateDestinationDefinition'>, ctx: RequestContext) =>
      d.update({ definitionId: req.destinationDefinitionId, dockerImageTag: req.dockerImageTag }, ctx),
    listDestinationDefinitions: d.list,
    getDestinationDefinition: (req: RequestOf<'getDestinationDefinition'>) =>
      d.get(req.destinationDefinitionId),
  };
};
