import { type CheckConnectionRead, DomainError, type RequestOf, type ResponseOf } from '@ferry/contracts';
import { AirbyteCatalog } from '@ferry/protocol';
import type { RequestContext } from '@ferry/rpc';
import { sourceSchemaOf } from './catalog.ts';
import { runConnectorJob, specOfImage } from './connector-jobs.ts';
import type { JobsDeps } from './deps.ts';

type Kind = 'source' | 'destination';

const actorJob = async (
  deps: JobsDeps,
  kind: Kind,
  actorId: string,
  command: 'check' | 'discover',
  ctx: RequestContext,
) => {
  const actor = await deps.call('getActorConfiguration', { kind, actorId }, ctx);
  const configType =
    command === 'discover'
      ? 'discover_schema'
      : kind === 'source'
        ? 'check_connection_source'
        : 'check_connection_destination';
  const image = `${actor.dockerRepository}:${actor.dockerImageTag}`;
  return runConnectorJob(
    deps,
    { configType, configId: actorId, image, command, config: actor.configuration },
    ctx,
  );
};

/** A connector that reports FAILED is a succeeded job answering `failed`; one that breaks is a failed job, also `failed`. */
const check = async (
  deps: JobsDeps,
  kind: Kind,
  actorId: string,
  ctx: RequestContext,
): Promise<{ body: CheckConnectionRead }> => {
  const result = await actorJob(deps, kind, actorId, 'check', ctx);
  const status = result.output?.status;
  if (result.succeeded && (status === 'SUCCEEDED' || status === 'FAILED')) {
    return {
      body: {
        status: status === 'SUCCEEDED' ? 'succeeded' : 'failed',
        message: (result.output?.message as string | undefined) ?? null,
      },
    };
  }
  return {
    body: { status: 'failed', message: result.failureReason ?? 'the connector gave no connection status' },
  };
};

interface SpecReadOf {
  source: ResponseOf<'getSourceDefinitionSpecification'>;
  destination: ResponseOf<'getDestinationDefinitionSpecification'>;
}
type SpecFields = Omit<SpecReadOf['source'], 'sourceDefinitionId'>;
/** The spec under its kind's definition id key. */
const specReads: { [K in Kind]: (definitionId: string, spec: SpecFields) => SpecReadOf[K] } = {
  source: (sourceDefinitionId, spec) => ({ sourceDefinitionId, ...spec }),
  destination: (destinationDefinitionId, spec) => ({ destinationDefinitionId, ...spec }),
};

const definitionSpec = async <K extends Kind>(
  deps: JobsDeps,
  kind: K,
  definitionId: string,
  ctx: RequestContext,
): Promise<{ body: SpecReadOf[K] }> => {
  const definition =
    kind === 'source'
      ? await deps.call('getSourceDefinition', { sourceDefinitionId: definitionId }, ctx)
      : await deps.call('getDestinationDefinition', { destinationDefinitionId: definitionId }, ctx);
  const spec = await specOfImage(deps, `${definition.dockerRepository}:${definition.dockerImageTag}`, ctx);
  const documentationUrl = spec.documentationUrl ?? definition.documentationUrl ?? null;
  const connectionSpecification = spec.connectionSpecification;
  return { body: specReads[kind](definitionId, { documentationUrl, connectionSpecification }) };
};

export const connectorHandlers = (deps: JobsDeps) => ({
  probeConnectorImage: async (req: RequestOf<'probeConnectorImage'>, ctx: RequestContext) => {
    const spec = await specOfImage(deps, `${req.dockerRepository}:${req.dockerImageTag}`, ctx);
    return {
      body: {
        connectionSpecification: spec.connectionSpecification,
        documentationUrl: spec.documentationUrl,
      },
    };
  },
  getSourceDefinitionSpecification: (
    req: RequestOf<'getSourceDefinitionSpecification'>,
    ctx: RequestContext,
  ) => definitionSpec(deps, 'source', req.sourceDefinitionId, ctx),
  getDestinationDefinitionSpecification: (
    req: RequestOf<'getDestinationDefinitionSpecification'>,
    ctx: RequestContext,
  ) => definitionSpec(deps, 'destination', req.destinationDefinitionId, ctx),
  checkConnectionToSource: (req: RequestOf<'checkConnectionToSource'>, ctx: RequestContext) =>
    check(deps, 'source', req.sourceId, ctx),
  checkConnectionToDestination: (req: RequestOf<'checkConnectionToDestination'>, ctx: RequestContext) =>
    check(deps, 'destination', req.destinationId, ctx),
  discoverSchemaForSource: async (req: RequestOf<'discoverSchemaForSource'>, ctx: RequestContext) => {
    const result = await actorJob(deps, 'source', req.sourceId, 'discover', ctx);
    const catalog = AirbyteCatalog.safeParse(result.output);
    if (!result.succeeded || !catalog.success) {
      throw new DomainError({
        code: 'source.discover_failed',
        category: 'bad_request',
        message: `Discover failed (job ${result.jobId}): ${result.failureReason ?? 'the connector gave no catalog'}`,
      });
    }
    return { body: { schema: sourceSchemaOf(catalog.data) } };
  },
});
