import type { operations, RequestOf, ResponseOf } from '@ferry/contracts';

/**
 * The operations the console calls, by the contract's ids. Their request and response types come from the
 * operation table itself (type-only imports: nothing of it reaches the bundle), and `satisfies` makes tsc
 * check each path against the table, so a renamed route fails the typecheck, not a user.
 */
type Operation = (typeof operations)[number];
type PathOf<Id> = Extract<Operation, { operationId: Id }>['path'];

export const PATHS = {
  getWorkspaceBySlug: '/v1/workspaces/get_by_slug',
  getWorkspaceAsOf: '/v1/workspaces/as_of',
  listSourceDefinitions: '/v1/source_definitions/list',
  listDestinationDefinitions: '/v1/destination_definitions/list',
  getSourceDefinitionSpecification: '/v1/source_definition_specifications/get',
  getDestinationDefinitionSpecification: '/v1/destination_definition_specifications/get',
  listSourcesForWorkspace: '/v1/sources/list',
  getSource: '/v1/sources/get',
  createSource: '/v1/sources/create',
  updateSource: '/v1/sources/update',
  deleteSource: '/v1/sources/delete',
  checkConnectionToSource: '/v1/sources/check_connection',
  discoverSchemaForSource: '/v1/sources/discover_schema',
  listDestinationsForWorkspace: '/v1/destinations/list',
  getDestination: '/v1/destinations/get',
  createDestination: '/v1/destinations/create',
  updateDestination: '/v1/destinations/update',
  deleteDestination: '/v1/destinations/delete',
  checkConnectionToDestination: '/v1/destinations/check_connection',
  webBackendListConnectionsForWorkspace: '/v1/web_backend/connections/list',
  webBackendGetConnection: '/v1/web_backend/connections/get',
  createConnection: '/v1/connections/create',
  updateConnection: '/v1/connections/update',
  deleteConnection: '/v1/connections/delete',
  syncConnection: '/v1/connections/sync',
  resetConnection: '/v1/connections/reset',
  listJobsFor: '/v1/jobs/list',
  getJobInfo: '/v1/jobs/get',
  cancelJob: '/v1/jobs/cancel',
  listApiTokens: '/v1/api_tokens/list',
  listAuditEntries: '/v1/audit/list',
  listResourceHistory: '/v1/history/list',
  getResourceVersion: '/v1/history/get',
  diffResourceVersions: '/v1/history/diff',
  restoreResourceVersion: '/v1/history/restore',
} as const satisfies { [Id in Operation['operationId']]?: PathOf<Id> };

export type OperationId = keyof typeof PATHS;
export type Request<Id extends OperationId> = RequestOf<Id>;
export type Response<Id extends OperationId> = ResponseOf<Id>;

/** Operations that only read; every other one changes something and needs the admin role (ADR 0009). */
const READS: ReadonlySet<OperationId> = new Set<OperationId>([
  'getWorkspaceBySlug',
  'getWorkspaceAsOf',
  'listSourceDefinitions',
  'listDestinationDefinitions',
  'getSourceDefinitionSpecification',
  'getDestinationDefinitionSpecification',
  'listSourcesForWorkspace',
  'getSource',
  'listDestinationsForWorkspace',
  'getDestination',
  'webBackendListConnectionsForWorkspace',
  'webBackendGetConnection',
  'listJobsFor',
  'getJobInfo',
  'listAuditEntries',
  'listResourceHistory',
  'getResourceVersion',
  'diffResourceVersions',
]);

export const changesSomething = (id: OperationId): boolean => !READS.has(id);
