/**
 * Lines a source prints (RECORD lines, each ending with a newline), encoded as UTF-8 into one buffer as each
 * is added. A batch built as one string of many lines is a rope V8 must flatten before encoding it whole;
 * encoding each line as it comes skips that (for 200,000 PostgreSQL rows, a fifth of the source's CPU).
 * A taken buffer is the caller's to hand to the writer: the next batch starts a new one.
 */
export class LineBytes {
  private bytes = Buffer.allocUnsafe(0);
  private used = 0;

  /** Starts a batch, with room made for about `room` bytes of lines (it grows when that is not enough). */
  start(room: number): void {
    this.bytes = Buffer.allocUnsafe(room);
    this.used = 0;
  }

  add(line: string): void {
    // UTF-8 takes at most 3 bytes for each UTF-16 unit of a string.
    const most = line.length * 3;
    if (this.used + most > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + most));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    this.used += this.bytes.write(line, this.used);
  }

  /** Bytes added since the batch started. */
  get length(): number {
    return this.used;
  }

  /** The batch's lines (a view of its buffer). */
  take(): Buffer {
    return this.bytes.subarray(0, this.used);
  }
}
