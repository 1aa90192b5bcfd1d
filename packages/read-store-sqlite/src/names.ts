/** A collection name that could not safely become a table name. */
export class InvalidCollectionNameError extends Error {
  override readonly name = 'InvalidCollectionNameError';
  constructor(collection: string) {
    super(`invalid collection name ${JSON.stringify(collection)}: expected [a-z][a-z0-9_]*`);
  }
}

/** A `where`/`orderBy` field that is not a plain top-level identifier. */
export class InvalidFieldNameError extends Error {
  override readonly name = 'InvalidFieldNameError';
  constructor(field: string) {
    super(`invalid field name ${JSON.stringify(field)}: expected a top-level identifier`);
  }
}

const collectionName = /^[a-z][a-z0-9_]*$/;
const fieldName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The table holding a collection; the prefix keeps clear of SQLite's own `sqlite_` names. */
export function tableOf(collection: string): string {
  if (!collectionName.test(collection)) throw new InvalidCollectionNameError(collection);
  return `docs_${collection}`;
}

/** The JSON path of a top-level field, validated so that a field cannot reach into nested values. */
export function pathOf(field: string): string {
  if (!fieldName.test(field)) throw new InvalidFieldNameError(field);
  return `$.${field}`;
}
