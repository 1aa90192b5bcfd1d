export { InvalidCollectionNameError, InvalidFieldNameError } from '@ferry/read-store';
export { createSqliteReadStore, type SqliteReadStoreOptions } from './sqlite-read-store.ts';
