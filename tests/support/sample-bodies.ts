import { randomUUID } from 'node:crypto';
import type { Operation } from '@ferry/contracts';
import { DEFAULT_WORKSPACE_ID, type TestFerry } from './ferry.ts';

/** Bodies that pass the contract and name ids that do not exist: each request travels to its service. */
const unknown = () => randomUUID();
const flags = {
  initialSetupComplete: false,
  onboardingComplete: false,
  anonymousDataCollection: false,
  news: false,
  securityUpdates: false,
};

export const sampleBodies: Record<string, () => unknown> = {
  getWorkspace: () => ({ workspaceId: DEFAULT_WORKSPACE_ID }),
  getWorkspaceBySlug: () => ({ slug: 'default' }),
  updateWorkspace: () => ({ workspaceId: DEFAULT_WORKSPACE_ID, ...flags }),
  createSourceDefinition: () => ({}),
  // The seed's body-less lists take an optional body (the pagination extension, ADR 0013).
  listSourceDefinitions: () => ({}),
  listDestinationDefinitions: () => ({}),
  updateSourceDefinition: () => ({ sourceDefinitionId: unknown(), dockerImageTag: '9.9.9' }),
  getSourceDefinition: () => ({ sourceDefinitionId: unknown() }),
  getSourceDefinitionSpecification: () => ({ sourceDefinitionId: unknown() }),
  createSource: () => ({
    workspaceId: unknown(),
    sourceDefinitionId: unknown(),
    connectionConfiguration: {},
    name: 'x',
  }),
  updateSource: () => ({ sourceId: unknown(), connectionConfiguration: {}, name: 'x' }),
  listSourcesForWorkspace: () => ({ workspaceId: DEFAULT_WORKSPACE_ID }),
  getSource: () => ({ sourceId: unknown() }),
  deleteSource: () => ({ sourceId: unknown() }),
  checkConnectionToSource: () => ({ sourceId: unknown() }),
  discoverSchemaForSource: () => ({ sourceId: unknown() }),
  createDestinationDefinition: () => ({}),
  updateDestinationDefinition: () => ({ destinationDefinitionId: unknown(), dockerImageTag: '9.9.9' }),
  getDestinationDefinition: () => ({ destinationDefinitionId: unknown() }),
  getDestinationDefinitionSpecification: () => ({ destinationDefinitionId: unknown() }),
  createDestination: () => ({
    workspaceId: unknown(),
    destinationDefinitionId: unknown(),
    connectionConfiguration: {},
    name: 'x',
  }),
  updateDestination: () => ({ destinationId: unknown(), connectionConfiguration: {}, name: 'x' }),
  listDestinationsForWorkspace: () => ({ workspaceId: DEFAULT_WORKSPACE_ID }),
  getDestination: () => ({ destinationId: unknown() }),
  checkConnectionToDestination: () => ({ destinationId: unknown() }),
  deleteDestination: () => ({ destinationId: unknown() }),
  createConnection: () => ({
    sourceId: unknown(),
    destinationId: unknown(),
    syncMode: 'full_refresh',
    status: 'active',
  }),
  updateConnection: () => ({ connectionId: unknown(), syncSchema: { streams: [] }, status: 'active' }),
  listConnectionsForWorkspace: () => ({ workspaceId: DEFAULT_WORKSPACE_ID }),
  getConnection: () => ({ connectionId: unknown() }),
  deleteConnection: () => ({ connectionId: unknown() }),
  syncConnection: () => ({ connectionId: unknown() }),
  resetConnection: () => ({ connectionId: unknown() }),
  webBackendListConnectionsForWorkspace: () => ({ workspaceId: DEFAULT_WORKSPACE_ID }),
  webBackendGetConnection: () => ({ connectionId: unknown() }),
  webBackendCreateSource: () => ({
    workspaceId: unknown(),
    sourceDefinitionId: unknown(),
    connectionConfiguration: {},
    name: 'x',
  }),
  webBackendRecreateSource: () => ({
    workspaceId: unknown(),
    sourceDefinitionId: unknown(),
    sourceId: unknown(),
    connectionConfiguration: {},
    name: 'x',
  }),
  webBackendCreateDestination: () => ({
    workspaceId: unknown(),
    destinationDefinitionId: unknown(),
    connectionConfiguration: {},
    name: 'x',
  }),
  webBackendRecreateDestination: () => ({
    workspaceId: unknown(),
    destinationDefinitionId: unknown(),
    destinationId: unknown(),
    connectionConfiguration: {},
    name: 'x',
  }),
  listJobsFor: () => ({ configType: 'sync', configId: unknown() }),
  getJobInfo: () => ({ id: 987_654_321 }),
  cancelJob: () => ({ id: 987_654_321 }),
  createApiToken: () => ({ name: 'sample', role: 'read' }),
  listApiTokens: () => ({}),
  revokeApiToken: () => ({ tokenId: unknown() }),
  listAuditEntries: () => ({ resourceId: unknown() }),
  listResourceHistory: () => ({ resourceId: unknown() }),
  getResourceVersion: () => ({ resourceId: unknown(), version: 1 }),
  diffResourceVersions: () => ({ resourceId: unknown(), from: 1, to: 2 }),
  restoreResourceVersion: () => ({ resourceId: unknown(), version: 1 }),
  getWorkspaceAsOf: () => ({ workspaceId: DEFAULT_WORKSPACE_ID, position: 1 }),
};

/** Calls an operation of the table with its sample body (GETs and body-less POSTs with none). */
export const callWithSample = (
  ferry: TestFerry,
  operation: Operation,
  prefix: '/api' | '' = '/api',
  headers: Record<string, string> = {},
) => {
  const url = `${prefix}${operation.path}`;
  if (operation.method === 'GET') return ferry.request(url, { method: 'GET', headers });
  const sample = sampleBodies[operation.operationId];
  return ferry.request(url, {
    method: 'POST',
    body: operation.request === null ? undefined : JSON.stringify(sample ? sample() : {}),
    headers: operation.request === null ? headers : { 'content-type': 'application/json', ...headers },
  });
};
