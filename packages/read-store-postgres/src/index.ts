export { InvalidCollectionNameError, InvalidFieldNameError } from '@ferry/read-store';
export { openPostgresReadStore, type PostgresReadStoreOptions } from './postgres-read-store.ts';
