/** What a batch's buffer starts at; it doubles as needed and keeps the size reached. */
const INITIAL_BYTES = 1 << 20;

/**
 * Lines of COPY's text format gathered as UTF-8 in one growing buffer. Writing each line there as it comes
 * costs about a quarter of what keeping thousands of strings and joining them costs (the join flattens each
 * line, then the whole text is encoded again to be sent). Two buffers take turns: the batch taken last is
 * sent while the next one fills the other, and a buffer is filled again once its batch is loaded, so the
 * pages the kernel gave it are written again rather than fresh ones faulted in for every batch.
 */
export class CopyLines {
  private buffer = Buffer.allocUnsafe(INITIAL_BYTES);
  private spare = Buffer.allocUnsafe(INITIAL_BYTES);
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

  /**
   * The bytes gathered since the last call; the lines that follow go to the other buffer. The bytes stay as
   * they are until the call after next: the caller is done with them by then (a batch is loaded before the
   * next one is sent).
   */
  take(): Buffer {
    const full = this.buffer;
    this.buffer = this.spare;
    this.spare = full;
    const taken = full.subarray(0, this.used);
    this.used = 0;
    return taken;
  }
}
