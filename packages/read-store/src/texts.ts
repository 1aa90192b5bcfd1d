import type { FieldTexts } from './port.ts';

/** The column a SQL adapter's `findTexts` query names the text of its `i`-th field by. */
export const textColumn = (i: number): string => `t${i}`;

/**
 * A SQL adapter's `findTexts` row, read as an array (no object per row for 10,000 rows): the id, then one
 * text per field, NULL when absent.
 */
export const fieldTextsOf = (row: unknown[], fields: readonly string[]): FieldTexts => ({
  id: row[0] as string,
  texts: fields.map((_, i) => (row[i + 1] as string | null) ?? undefined),
});

/**
 * `findTexts` of a document an adapter holds as values (or had to parse): each field serialised again,
 * which gives its text as put, since the document was stored from its JSON.
 */
export const fieldTextsOfDocument = (
  id: string,
  doc: Record<string, unknown>,
  fields: readonly string[],
): FieldTexts => ({
  id,
  texts: fields.map((field) => (Object.hasOwn(doc, field) ? JSON.stringify(doc[field]) : undefined)),
});
