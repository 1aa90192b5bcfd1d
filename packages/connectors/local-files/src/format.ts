/** How one raw record becomes a line of a local destination's file; the rest of the writer is shared. */
export interface RawFormat {
  /** File extension without the dot. */
  extension: string;
  /** First line of a new file, if the format has one. */
  header?: string;
  line(id: string, emittedAt: number, data: Record<string, unknown>): string;
}

const NEEDS_QUOTES = /[",\r\n]/;

/** RFC 4180 quoting: only fields containing a comma, quote or line break are quoted, quotes doubled. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export const csvFormat: RawFormat = {
  extension: 'csv',
  header: '_airbyte_ab_id,_airbyte_emitted_at,_airbyte_data\n',
  line: (id, emittedAt, data) => `${id},${emittedAt},${csvField(JSON.stringify(data))}\n`,
};

export const jsonlFormat: RawFormat = {
  extension: 'jsonl',
  line: (id, emittedAt, data) =>
    `${JSON.stringify({ _airbyte_ab_id: id, _airbyte_emitted_at: emittedAt, _airbyte_data: data })}\n`,
};
