export * from './context.ts';
export * from './handlers.ts';
export * from './serve.ts';
export * from './client.ts';
export * from './reply-text.ts';
