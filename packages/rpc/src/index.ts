export * from './context.ts';
export * from './serve.ts';
export * from './client.ts';
