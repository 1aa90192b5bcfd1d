export * from './service.ts';
export * from './module.ts';
