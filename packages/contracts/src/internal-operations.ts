import { z } from 'zod';

/**
 * Operations between services that no HTTP client may call: not routed by the gateway, not in the
 * OpenAPI document, but validated and typed from the same table as the public ones.
 */
const kind = z.enum(['source', 'destination']);
const image = { dockerRepository: z.string().min(1), dockerImageTag: z.string().min(1) };

export const ConnectorImageRequest = z.object({ kind, ...image });
export const ConnectorSpecRead = z.object({
  // A connector spec: JSON Schema draft 7.
  connectionSpecification: z.record(z.string(), z.unknown()),
  documentationUrl: z.string().nullable(),
});
export const ActorConfigurationRequest = z.object({ kind, actorId: z.guid() });
export const ActorConfigurationRead = z.object({
  kind,
  actorId: z.string(),
  workspaceId: z.string(),
  definitionId: z.string(),
  ...image,
  deleted: z.boolean(),
  /** Plain text: only ever sent to the service that runs the connector. */
  configuration: z.record(z.string(), z.unknown()),
});

const internal = <Id extends string, Req extends z.ZodType, Res extends z.ZodType>(
  operationId: Id,
  path: string,
  request: Req,
  response: Res,
  service: 'config' | 'jobs',
) => ({ operationId, path, method: 'POST' as const, tag: 'internal', summary: operationId, request, response, service, errors: [404] as readonly number[] });

export const internalOperations = [
  /** Runs `spec` on an image (cached per repository:tag); 422 when the image does not answer it. */
  internal('probeConnectorImage', '/internal/connector_images/spec', ConnectorImageRequest, ConnectorSpecRead, 'jobs'),
  internal('getActorConfiguration', '/internal/actors/configuration', ActorConfigurationRequest, ActorConfigurationRead, 'config'),
] as const;

export type ActorConfigurationRead = z.infer<typeof ActorConfigurationRead>;
export type ConnectorSpecRead = z.infer<typeof ConnectorSpecRead>;
