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
  /** The plain secret values, so that whoever runs the connector can scrub them from its logs. */
  secrets: z.array(z.string()),
});

/** One connector command of a job's attempt, run by a runner; its log goes to `logPath`. */
export const ConnectorCommandRequest = z.object({
  jobId: z.number().int(),
  attempt: z.number().int(),
  image: z.string().min(1),
  command: z.enum(['spec', 'check', 'discover']),
  config: z.record(z.string(), z.unknown()).nullable(),
  logPath: z.string(),
  secrets: z.array(z.string()),
  timeoutMs: z.number().int().positive(),
});
/** `output` is the SPEC, CONNECTION_STATUS or CATALOG message the connector printed. */
export const ConnectorCommandResult = z.object({
  succeeded: z.boolean(),
  failureReason: z.string().nullable(),
  output: z.record(z.string(), z.unknown()).nullable(),
});

const internal = <Id extends string, Req extends z.ZodType, Res extends z.ZodType>(
  operationId: Id,
  path: string,
  request: Req,
  response: Res,
  service: 'config' | 'jobs' | 'runner',
) => ({
  operationId,
  path,
  method: 'POST' as const,
  tag: 'internal',
  summary: operationId,
  request,
  response,
  service,
  errors: [404] as readonly number[],
});

export const internalOperations = [
  /** Runs `spec` on an image (cached per repository:tag); 422 when the image does not answer it. */
  internal(
    'probeConnectorImage',
    '/internal/connector_images/spec',
    ConnectorImageRequest,
    ConnectorSpecRead,
    'jobs',
  ),
  internal(
    'getActorConfiguration',
    '/internal/actors/configuration',
    ActorConfigurationRequest,
    ActorConfigurationRead,
    'config',
  ),
  internal(
    'runConnectorCommand',
    '/internal/runner/command',
    ConnectorCommandRequest,
    ConnectorCommandResult,
    'runner',
  ),
] as const;

export type ActorConfigurationRead = z.infer<typeof ActorConfigurationRead>;
export type ConnectorSpecRead = z.infer<typeof ConnectorSpecRead>;
export type ConnectorCommandRequest = z.infer<typeof ConnectorCommandRequest>;
export type ConnectorCommandResult = z.infer<typeof ConnectorCommandResult>;
