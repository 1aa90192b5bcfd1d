export * from './service.ts';
export { resealStoredSecrets, type ResealReport } from './handlers/reseal-secrets.ts';
export { builtInDefinitionId, type BuiltInDefinition } from './handlers/seed.ts';
export { DEFAULT_WORKSPACE_ID } from './handlers/workspaces.ts';
export { configResourceModels } from './history/resources.ts';
export * from './module.ts';
