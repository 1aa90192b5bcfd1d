/** How one raw record becomes a line of a local destination's file; the rest of the writer is shared. */
export interface RawFormat {
  /** File extension without the dot. */
  extension: string;
  /** First line of a new file, if the format has one. */
  header?: string;
  /** `dataJson` is `JSON.stringify(data)` of the record (see RecordText). */
  line(id: string, emittedAt: number, dataJson: string): string;
}

const NEEDS_QUOTES = /[",\r\n]/;

/** RFC 4180 quoting: only fields containing a comma, quote or line break are quoted, quotes doubled. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export const csvFormat: RawFormat = {
  extension: 'csv',
  header: '_airbyte_ab_id,_airbyte_emitted_at,_airbyte_data\n',
  line: (id, emittedAt, dataJson) => `${id},${emittedAt},${csvField(dataJson)}\n`,
};

export const jsonlFormat: RawFormat = {
  extension: 'jsonl',
  // The text JSON.stringify prints for {_airbyte_ab_id, _airbyte_emitted_at, _airbyte_data}: a UUID needs no
  // escaping and a finite number prints as String() prints it (`1e999` parses to Infinity, printed null).
  line: (id, emittedAt, dataJson) =>
    `{"_airbyte_ab_id":"${id}","_airbyte_emitted_at":${Number.isFinite(emittedAt) ? emittedAt : null},"_airbyte_data":${dataJson}}\n`,
};
