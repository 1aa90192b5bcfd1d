/**
 * RECORD lines of one stream, each the text `JSON.stringify(record(stream, row, emittedAt))` prints followed by
 * a newline: the harness writes a batch of them as one string instead of serializing and awaiting each message.
 */
export class RecordLines {
  private readonly head: string;

  constructor(stream: string) {
    this.head = `{"type":"RECORD","record":{"stream":${JSON.stringify(stream)},"data":`;
  }

  /** The line of one row; `emittedAt` is a `Date.now()`, printed as JSON prints an integer. */
  line(row: Record<string, unknown>, emittedAt: number): string {
    return this.lineOf(JSON.stringify(row), emittedAt);
  }

  /** The line of a row whose `JSON.stringify` text is `data`. */
  lineOf(data: string, emittedAt: number): string {
    return `${this.head}${data},"emitted_at":${emittedAt}}}\n`;
  }

  /** The lines of `rows`, one string. */
  lines(rows: Record<string, unknown>[], emittedAt: number): string {
    let text = '';
    for (const row of rows) text += this.line(row, emittedAt);
    return text;
  }
}
