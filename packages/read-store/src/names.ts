/** A collection name outside the rule every read store shares: it must be safe as a table or collection name. */
export class InvalidCollectionNameError extends Error {
  override readonly name = 'InvalidCollectionNameError';
  constructor(collection: string) {
    super(`invalid collection name ${JSON.stringify(collection)}: expected [a-z][a-z0-9_]*`);
  }
}

/** A `where`/`orderBy` field that is not a plain top-level identifier (no paths, no operators). */
export class InvalidFieldNameError extends Error {
  override readonly name = 'InvalidFieldNameError';
  constructor(field: string) {
    super(`invalid field name ${JSON.stringify(field)}: expected a top-level identifier`);
  }
}

const collectionName = /^[a-z][a-z0-9_]*$/;
const fieldName = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function checkCollection(collection: string): string {
  if (!collectionName.test(collection)) throw new InvalidCollectionNameError(collection);
  return collection;
}

export function checkField(field: string): string {
  if (!fieldName.test(field)) throw new InvalidFieldNameError(field);
  return field;
}
