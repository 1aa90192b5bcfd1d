export { InvalidCollectionNameError, InvalidFieldNameError } from './names.ts';
export { createSqliteReadStore, type SqliteReadStoreOptions } from './sqlite-read-store.ts';
