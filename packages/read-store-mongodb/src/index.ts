export { createMongoReadStore, type MongoReadStoreOptions } from './mongo-read-store.ts';
export { InvalidCollectionNameError, InvalidFieldNameError } from '@ferry/read-store';
