export { createEsdbEventStore, type EsdbEventStoreOptions } from './esdb-event-store.ts';
export { MissingPositionError } from './mapping.ts';
