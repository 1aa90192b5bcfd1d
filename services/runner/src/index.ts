export * from './service.ts';
export { openAttemptLog, type AttemptLog } from './attempt-log.ts';
export { runSyncPipeline, type SyncHooks, type SyncResult } from './sync/pipeline.ts';
export type { Progress } from './sync/forward.ts';
export * from './module.ts';
