export * from './service.ts';
export { createSecretSealer, mask, SECRET_MASK, type SecretSealer } from './secrets/sealing.ts';
export { builtInDefinitionId, type BuiltInDefinition } from './handlers/seed.ts';
export { DEFAULT_WORKSPACE_ID } from './handlers/workspaces.ts';
