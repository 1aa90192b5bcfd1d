import type { z } from 'zod';
import { type DeadlineClass, deadlineClassOf } from './deadlines.ts';
import { internalOperations } from './internal-operations.ts';
import { destination, source } from './models/actors.ts';
import {
  ApiTokenCreate,
  ApiTokenCreated,
  ApiTokenIdRequestBody,
  ApiTokenReadList,
} from './models/api-tokens.ts';
import {
  ConnectionCreate,
  ConnectionIdRequestBody,
  ConnectionRead,
  ConnectionReadList,
  ConnectionUpdate,
} from './models/connection.ts';
import { destinationDefinition, sourceDefinition } from './models/definitions.ts';
import {
  AuditEntryList,
  AuditListRequestBody,
  HistoryDiffRead,
  HistoryDiffRequestBody,
  HistoryListRequestBody,
  HistoryRead,
  HistoryVersionRead,
  HistoryVersionRequestBody,
  ResourceRead,
  WorkspaceAsOfRead,
  WorkspaceAsOfRequestBody,
} from './models/history.ts';
import { JobIdRequestBody, JobInfoRead, JobListRequestBody, JobReadList } from './models/jobs.ts';
import {
  CheckConnectionRead,
  DebugRead,
  HealthCheckRead,
  WbConnectionRead,
  WbConnectionReadList,
} from './models/misc.ts';
import { PageRequestBody } from './models/paging.ts';
import { SourceDiscoverSchemaRead } from './models/schema.ts';
import {
  SlugRequestBody,
  WorkspaceIdPageRequestBody,
  WorkspaceIdRequestBody,
  WorkspaceRead,
  WorkspaceUpdate,
} from './models/workspace.ts';

/** Which service answers an operation's subject (queue group `ferry-<service>`). */
export type ServiceName = 'config' | 'jobs' | 'runner' | 'audit';

export interface Operation {
  operationId: string;
  /** Path under the API base, e.g. `/v1/sources/create`. Served at `/api/v1/...` and `/v1/...`. */
  path: string;
  method: 'POST' | 'GET';
  tag: string;
  summary: string;
  /** `null`: the operation takes no body (definition lists, health, debug). */
  request: z.ZodType | null;
  /** `null`: 204 with an empty body. */
  response: z.ZodType | null;
  service: ServiceName;
  /** Documented error statuses besides 422 (always possible for a body) and 503/504 (always possible). */
  errors: readonly number[];
  /** Not in the seed: ours, documented as an extension. */
  extension?: boolean;
  /** Only an admin may call it, even when it only reads (`access.ts` derives every other row's role). */
  adminOnly?: boolean;
  /** How long a caller waits for the answer, and whether it may ask again (`deadlines.ts`). */
  deadline: DeadlineClass;
}

/** Generic in the service too, so the table's type says which service owns each operation (`OperationIdOf`). */
const op = <
  Id extends string,
  Req extends z.ZodType | null,
  Res extends z.ZodType | null,
  Service extends ServiceName,
>(
  operationId: Id,
  path: string,
  tag: string,
  summary: string,
  request: Req,
  response: Res,
  service: Service,
  errors: readonly number[] = [],
  extra: Partial<Omit<Operation, 'service'>> = {},
) => ({
  method: 'POST' as Operation['method'],
  path,
  deadline: deadlineClassOf(path),
  tag,
  summary,
  service,
  errors,
  ...extra,
  operationId,
  request,
  response,
});

const sd = sourceDefinition;
const dd = destinationDefinition;
const NF = [404] as const;

/** Every endpoint of the API, in the seed's order. Routes, handlers, subjects and OpenAPI derive from it. */
export const operations = [
  op(
    'getWorkspace',
    '/v1/workspaces/get',
    'workspace',
    'Find workspace by ID',
    WorkspaceIdRequestBody,
    WorkspaceRead,
    'config',
    NF,
  ),
  op(
    'getWorkspaceBySlug',
    '/v1/workspaces/get_by_slug',
    'workspace',
    'Find workspace by slug',
    SlugRequestBody,
    WorkspaceRead,
    'config',
    NF,
  ),
  op(
    'updateWorkspace',
    '/v1/workspaces/update',
    'workspace',
    'Update workspace state',
    WorkspaceUpdate,
    WorkspaceRead,
    'config',
    [404, 409],
  ),
  op(
    'createSourceDefinition',
    '/v1/source_definitions/create',
    'source_definition',
    'Creates a sourceDefinition',
    sd.Create,
    sd.Read,
    'config',
  ),
  op(
    'updateSourceDefinition',
    '/v1/source_definitions/update',
    'source_definition',
    'Update a sourceDefinition',
    sd.Update,
    sd.Read,
    'config',
    [404, 409],
  ),
  op(
    'listSourceDefinitions',
    '/v1/source_definitions/list',
    'source_definition',
    'List all the sourceDefinitions the current Airbyte deployment is configured to use',
    PageRequestBody,
    sd.ReadList,
    'config',
  ),
  op(
    'getSourceDefinition',
    '/v1/source_definitions/get',
    'source_definition',
    'Get source',
    sd.IdRequestBody,
    sd.Read,
    'config',
    NF,
  ),
  op(
    'getSourceDefinitionSpecification',
    '/v1/source_definition_specifications/get',
    'source_definition_specification',
    'Get specification for a SourceDefinition.',
    sd.IdRequestBody,
    sd.SpecificationRead,
    'jobs',
    NF,
  ),
  op(
    'createSource',
    '/v1/sources/create',
    'source',
    'Create a source',
    source.Create,
    source.Read,
    'config',
    NF,
  ),
  op(
    'updateSource',
    '/v1/sources/update',
    'source',
    'Update a source',
    source.Update,
    source.Read,
    'config',
    [404, 409],
  ),
  op(
    'listSourcesForWorkspace',
    '/v1/sources/list',
    'source',
    'List sources for workspace',
    WorkspaceIdPageRequestBody,
    source.ReadList,
    'config',
    NF,
  ),
  op('getSource', '/v1/sources/get', 'source', 'Get source', source.IdRequestBody, source.Read, 'config', NF),
  op(
    'deleteSource',
    '/v1/sources/delete',
    'source',
    'Delete a source',
    source.IdRequestBody,
    null,
    'config',
    NF,
  ),
  op(
    'checkConnectionToSource',
    '/v1/sources/check_connection',
    'source',
    'Check connection to the source',
    source.IdRequestBody,
    CheckConnectionRead,
    'jobs',
    NF,
  ),
  op(
    'discoverSchemaForSource',
    '/v1/sources/discover_schema',
    'source',
    'Discover the schema catalog of the source',
    source.IdRequestBody,
    SourceDiscoverSchemaRead,
    'jobs',
    NF,
  ),
  op(
    'createDestinationDefinition',
    '/v1/destination_definitions/create',
    'destination_definition',
    'Creates a destinationsDefinition',
    dd.Create,
    dd.Read,
    'config',
  ),
  op(
    'updateDestinationDefinition',
    '/v1/destination_definitions/update',
    'destination_definition',
    'Update destinationDefinition',
    dd.Update,
    dd.Read,
    'config',
    [404, 409],
  ),
  op(
    'listDestinationDefinitions',
    '/v1/destination_definitions/list',
    'destination_definition',
    'List all the destinationDefinitions the current Airbyte deployment is configured to use',
    PageRequestBody,
    dd.ReadList,
    'config',
  ),
  op(
    'getDestinationDefinition',
    '/v1/destination_definitions/get',
    'destination_definition',
    'Get destinationDefinition',
    dd.IdRequestBody,
    dd.Read,
    'config',
    NF,
  ),
  op(
    'getDestinationDefinitionSpecification',
    '/v1/destination_definition_specifications/get',
    'destination_definition_specification',
    'Get specification for a destinationDefinition',
    dd.IdRequestBody,
    dd.SpecificationRead,
    'jobs',
    NF,
  ),
  op(
    'createDestination',
    '/v1/destinations/create',
    'destination',
    'Create a destination',
    destination.Create,
    destination.Read,
    'config',
    NF,
  ),
  op(
    'updateDestination',
    '/v1/destinations/update',
    'destination',
    'Update a destination',
    destination.Update,
    destination.Read,
    'config',
    [404, 409],
  ),
  op(
    'listDestinationsForWorkspace',
    '/v1/destinations/list',
    'destination',
    'List configured destinations for a workspace',
    WorkspaceIdPageRequestBody,
    destination.ReadList,
    'config',
    NF,
  ),
  op(
    'getDestination',
    '/v1/destinations/get',
    'destination',
    'Get configured destination',
    destination.IdRequestBody,
    destination.Read,
    'config',
    NF,
  ),
  op(
    'checkConnectionToDestination',
    '/v1/destinations/check_connection',
    'destination',
    'Check connection to the destination',
    destination.IdRequestBody,
    CheckConnectionRead,
    'jobs',
    NF,
  ),
  op(
    'deleteDestination',
    '/v1/destinations/delete',
    'destination',
    'Delete the destination',
    destination.IdRequestBody,
    null,
    'config',
    NF,
  ),
  op(
    'createConnection',
    '/v1/connections/create',
    'connection',
    'Create a connection between a source and a destination',
    ConnectionCreate,
    ConnectionRead,
    'config',
    NF,
  ),
  op(
    'updateConnection',
    '/v1/connections/update',
    'connection',
    'Updates a connection',
    ConnectionUpdate,
    ConnectionRead,
    'config',
    [404, 409],
  ),
  op(
    'listConnectionsForWorkspace',
    '/v1/connections/list',
    'connection',
    'Returns all connections for a workspace.',
    WorkspaceIdPageRequestBody,
    ConnectionReadList,
    'config',
    NF,
  ),
  op(
    'getConnection',
    '/v1/connections/get',
    'connection',
    'Get a connection',
    ConnectionIdRequestBody,
    ConnectionRead,
    'config',
    NF,
  ),
  op(
    'deleteConnection',
    '/v1/connections/delete',
    'connection',
    'Delete a connection',
    ConnectionIdRequestBody,
    null,
    'config',
    NF,
  ),
  op(
    'syncConnection',
    '/v1/connections/sync',
    'connection',
    'Trigger a manual sync of the connection',
    ConnectionIdRequestBody,
    JobInfoRead,
    'jobs',
    NF,
  ),
  op(
    'resetConnection',
    '/v1/connections/reset',
    'connection',
    'Reset the data for the connection',
    ConnectionIdRequestBody,
    JobInfoRead,
    'jobs',
    NF,
  ),
  op(
    'webBackendListConnectionsForWorkspace',
    '/v1/web_backend/connections/list',
    'web_backend',
    'Returns all connections for a workspace.',
    WorkspaceIdPageRequestBody,
    WbConnectionReadList,
    'config',
    NF,
  ),
  op(
    'webBackendGetConnection',
    '/v1/web_backend/connections/get',
    'web_backend',
    'Get a connection',
    ConnectionIdRequestBody,
    WbConnectionRead,
    'config',
    NF,
  ),
  op(
    'webBackendCreateSource',
    '/v1/web_backend/sources/create',
    'web_backend',
    'Create a source, checking its connection first',
    source.Create,
    source.Read,
    'config',
    [400, 404],
  ),
  op(
    'webBackendRecreateSource',
    '/v1/web_backend/sources/recreate',
    'web_backend',
    'Recreate a source',
    source.Recreate,
    source.Read,
    'config',
    [400, 404],
  ),
  op(
    'webBackendRecreateDestination',
    '/v1/web_backend/destinations/recreate',
    'web_backend',
    'Recreate a destination',
    destination.Recreate,
    destination.Read,
    'config',
    [400, 404],
  ),
  op(
    'webBackendCreateDestination',
    '/v1/web_backend/destinations/create',
    'web_backend',
    'Create a destination, checking its connection first',
    destination.Create,
    destination.Read,
    'config',
    [400, 404],
  ),
  op(
    'listJobsFor',
    '/v1/jobs/list',
    'jobs',
    'Returns recent jobs for a connection. Jobs are returned in descending order by createdAt.',
    JobListRequestBody,
    JobReadList,
    'jobs',
  ),
  op(
    'getJobInfo',
    '/v1/jobs/get',
    'jobs',
    'Get information about a job',
    JobIdRequestBody,
    JobInfoRead,
    'jobs',
    NF,
  ),
  op('getDebuggingInfo', '/v1/debug', 'health', 'Gets the debugging info', null, DebugRead, 'config', [], {
    method: 'GET',
  }),
  op('getHealthCheck', '/v1/health', 'health', 'Health Check', null, HealthCheckRead, 'config', [], {
    method: 'GET',
  }),
  op(
    'cancelJob',
    '/v1/jobs/cancel',
    'jobs',
    'Cancel a job (extension)',
    JobIdRequestBody,
    JobInfoRead,
    'jobs',
    NF,
    { extension: true },
  ),
  op(
    'createApiToken',
    '/v1/api_tokens/create',
    'api_tokens',
    'Create an API token, shown only in this answer (extension)',
    ApiTokenCreate,
    ApiTokenCreated,
    'config',
    [],
    { extension: true, adminOnly: true },
  ),
  op(
    'listApiTokens',
    '/v1/api_tokens/list',
    'api_tokens',
    'List API tokens, without their secrets (extension)',
    PageRequestBody,
    ApiTokenReadList,
    'config',
    [],
    { extension: true, adminOnly: true },
  ),
  op(
    'revokeApiToken',
    '/v1/api_tokens/revoke',
    'api_tokens',
    'Revoke an API token (extension)',
    ApiTokenIdRequestBody,
    null,
    'config',
    NF,
    { extension: true, adminOnly: true },
  ),
  op(
    'listAuditEntries',
    '/v1/audit/list',
    'audit',
    'Who changed what, when: the audit trail, newest first (extension)',
    AuditListRequestBody,
    AuditEntryList,
    'audit',
    [],
    { extension: true },
  ),
  op(
    'listResourceHistory',
    '/v1/history/list',
    'history',
    'Every version of a resource, with its changes (extension)',
    HistoryListRequestBody,
    HistoryRead,
    'config',
    NF,
    { extension: true },
  ),
  op(
    'getResourceVersion',
    '/v1/history/get',
    'history',
    'A resource as it was at one version (extension)',
    HistoryVersionRequestBody,
    HistoryVersionRead,
    'config',
    NF,
    { extension: true },
  ),
  op(
    'diffResourceVersions',
    '/v1/history/diff',
    'history',
    'What changed between two versions of a resource (extension)',
    HistoryDiffRequestBody,
    HistoryDiffRead,
    'config',
    NF,
    { extension: true },
  ),
  op(
    'restoreResourceVersion',
    '/v1/history/restore',
    'history',
    'Make a past version current again with a new event; undeletes (extension)',
    HistoryVersionRequestBody,
    ResourceRead,
    'config',
    [404, 409],
    { extension: true },
  ),
  op(
    'getWorkspaceAsOf',
    '/v1/workspaces/as_of',
    'workspace',
    "A workspace's sources, destinations and connections as they were at a time or log position (extension)",
    WorkspaceAsOfRequestBody,
    WorkspaceAsOfRead,
    'config',
    NF,
    { extension: true },
  ),
] as const satisfies readonly Operation[];

/** Public and internal operations: everything a service may answer on the bus. */
export const allOperations = [...operations, ...internalOperations] as const;
type AnyOperation = (typeof allOperations)[number];

export type OperationId = AnyOperation['operationId'];
type OperationOf<Id extends OperationId> = Extract<AnyOperation, { operationId: Id }>;
type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;
/** The parsed request body of an operation (`undefined` when it takes none). */
export type RequestOf<Id extends OperationId> = Infer<OperationOf<Id>['request']>;
/** The response body of an operation (`undefined` for a 204). */
export type ResponseOf<Id extends OperationId> = Infer<OperationOf<Id>['response']>;

/** The bus subject of an operation: `/v1/web_backend/connections/get` → `ferry.v1.web_backend.connections.get`. */
export const subjectOf = (operation: Pick<Operation, 'path'>): string =>
  `ferry${operation.path.replaceAll('/', '.')}`;

export const operationById = (id: OperationId): Operation => {
  const found = allOperations.find((o) => o.operationId === id);
  if (!found) throw new Error(`unknown operation ${id}`);
  return found;
};

/** What a service answers on an operation's subject: the response body and, for single entities, an ETag. */
export interface OperationReply {
  body: unknown;
  /** The stream revision the body reflects; the gateway sends it as `ETag` and takes it back as `If-Match`. */
  etag?: number;
}
