/** What a batch's buffer starts at; it doubles as needed and the next batch starts at the size reached. */
const INITIAL_BYTES = 1 << 20;

/**
 * Lines of COPY's text format gathered as UTF-8 in one growing buffer. Writing each line there as it comes
 * costs about a quarter of what keeping thousands of strings and joining them costs (the join flattens each
 * line, then the whole text is encoded again to be sent).
 */
export class CopyLines {
  private buffer = Buffer.allocUnsafe(INITIAL_BYTES);
  private used = 0;

  add(line: string): void {
    // A UTF-16 code unit takes at most 3 bytes of UTF-8: with that much room, write never truncates.
    const most = 3 * line.length;
    if (this.used + most > this.buffer.length) {
      const larger = Buffer.allocUnsafe(Math.max(2 * this.buffer.length, this.used + most));
      this.buffer.copy(larger, 0, 0, this.used);
      this.buffer = larger;
    }
    this.used += this.buffer.write(line, this.used);
  }

  /** The bytes gathered since the last call; the lines that follow go to a fresh buffer. */
  take(): Buffer {
    const taken = this.buffer.subarray(0, this.used);
    this.buffer = Buffer.allocUnsafe(this.buffer.length);
    this.used = 0;
    return taken;
  }
}
