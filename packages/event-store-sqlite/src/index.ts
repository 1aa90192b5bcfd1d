export { DuplicateEventIdError } from './append.ts';
export { createSqliteEventStore, type SqliteEventStoreOptions } from './sqlite-event-store.ts';
