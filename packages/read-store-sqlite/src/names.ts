import { checkCollection, checkField } from '@ferry/read-store';

/** The table holding a collection; the prefix keeps clear of SQLite's own `sqlite_` names. */
export const tableOf = (collection: string): string => `docs_${checkCollection(collection)}`;

/** The JSON path of a top-level field: checked, so a field cannot reach into nested values. */
export const pathOf = (field: string): string => `$.${checkField(field)}`;
