export * from './decider.ts';
export * from './command-handler.ts';
export * from './projection.ts';
export * from './projector.ts';
export * from './stream-state.ts';
export * from './document-at.ts';
export * from './readiness.ts';
export * from './paging.ts';
