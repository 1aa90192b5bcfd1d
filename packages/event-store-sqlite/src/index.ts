// Kept here too: it was first defined by this adapter, and importers still take it from here.
export { DuplicateEventIdError } from '@ferry/event-store';
export { createSqliteEventStore, type SqliteEventStoreOptions } from './sqlite-event-store.ts';
