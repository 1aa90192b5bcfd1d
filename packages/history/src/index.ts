export * from './json-patch.ts';
export * from './summary.ts';
export * from './resource-model.ts';
export * from './versions.ts';
