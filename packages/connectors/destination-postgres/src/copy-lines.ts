/** What a batch's buffer starts at; it doubles as needed and keeps the size reached. */
const INITIAL_BYTES = 1 << 20;

/** The COPY option of the binary format, whose rows `CopyLines` gathers with its `add…Field` methods. */
export const BINARY_FORMAT = '(FORMAT binary)';
/** The signature, flags and header-extension length every binary COPY starts with. */
const BINARY_HEADER = Buffer.from('PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0', 'latin1');

/**
 * Lines of COPY's text format (or rows of its binary format) gathered as UTF-8 in one growing buffer. Writing each line there as it comes
 * costs about a quarter of what keeping thousands of strings and joining them costs (the join flattens each
 * line, then the whole text is encoded again to be sent). Two buffers take turns: the batch taken last is
 * sent while the next one fills the other, and a buffer is filled again once its batch is loaded, so the
 * pages the kernel gave it are written again rather than fresh ones faulted in for every batch.
 */
export class CopyLines {
  private buffer = Buffer.allocUnsafe(INITIAL_BYTES);
  private spare = Buffer.allocUnsafe(INITIAL_BYTES);
  private used = 0;

  /** The bytes gathered so far. */
  get length(): number {
    return this.used;
  }

  /** A line of COPY's text format. */
  add(line: string): void {
    // A UTF-16 code unit takes at most 3 bytes of UTF-8: with that much room, write never truncates.
    const at = this.room(3 * line.length);
    this.used += this.buffer.write(line, at);
  }

  /** What a binary COPY's data starts with. */
  addBinaryHeader(): void {
    this.addBytes(BINARY_HEADER);
  }

  /** A binary row's field count. */
  addBinaryRow(fields: number): void {
    this.addInt16(fields);
  }

  /** What ends a binary COPY's rows. */
  addBinaryTrailer(): void {
    this.addInt16(-1);
  }

  /** Bytes as they are (COPY's binary format: a header, a field's fixed-size value). */
  addBytes(bytes: Uint8Array): void {
    const at = this.room(bytes.length);
    this.buffer.set(bytes, at);
    this.used += bytes.length;
  }

  /** A 16-bit or 32-bit integer, big-endian: a binary row's field count, a field's length. */
  addInt16(n: number): void {
    const at = this.room(2);
    this.used = this.buffer.writeInt16BE(n, at);
  }

  addInt32(n: number): void {
    const at = this.room(4);
    this.used = this.buffer.writeInt32BE(n, at);
  }

  /** A binary field of 8 bytes: a 64-bit integer (a safe integer, so its two halves are exact doubles). */
  addInt64Field(n: number): void {
    const at = this.room(12);
    const high = Math.floor(n / 2 ** 32);
    this.buffer.writeInt32BE(8, at);
    this.buffer.writeInt32BE(high, at + 4);
    this.used = this.buffer.writeUInt32BE(n - high * 2 ** 32, at + 8);
  }

  /** A binary field of 8 bytes: a 64-bit integer beyond 2^53. */
  addBigInt64Field(n: bigint): void {
    const at = this.room(12);
    this.buffer.writeInt32BE(8, at);
    this.used = this.buffer.writeBigInt64BE(n, at + 4);
  }

  /** A binary field of 8 bytes: a double, as IEEE 754 big-endian. */
  addFloat64Field(x: number): void {
    const at = this.room(12);
    this.buffer.writeInt32BE(8, at);
    this.used = this.buffer.writeDoubleBE(x, at + 4);
  }

  /** A binary field of 1 byte: a boolean. */
  addBooleanField(b: boolean): void {
    const at = this.room(5);
    this.buffer.writeInt32BE(1, at);
    this.buffer[at + 4] = b ? 1 : 0;
    this.used = at + 5;
  }

  /** A binary field holding `text` in UTF-8 (text's binary input). */
  addTextField(text: string): void {
    const at = this.room(4 + 3 * text.length);
    const bytes = this.buffer.write(text, at + 4);
    this.buffer.writeInt32BE(bytes, at);
    this.used = at + 4 + bytes;
  }

  /** A binary NULL: a field length of -1. */
  addNullField(): void {
    this.addInt32(-1);
  }

  /** A binary field holding `version` (one byte, as jsonb's binary input starts) and `text` in UTF-8. */
  addVersionedText(version: number, text: string): void {
    const at = this.room(5 + 3 * text.length);
    this.buffer[at + 4] = version;
    const bytes = 1 + this.buffer.write(text, at + 5);
    this.buffer.writeInt32BE(bytes, at);
    this.used = at + 4 + bytes;
  }

  /** Where the next `most` bytes go: the buffer grows first when they might not fit (read it after this). */
  private room(most: number): number {
    if (this.used + most > this.buffer.length) {
      const larger = Buffer.allocUnsafe(Math.max(2 * this.buffer.length, this.used + most));
      this.buffer.copy(larger, 0, 0, this.used);
      this.buffer = larger;
    }
    return this.used;
  }

  /**
   * The bytes gathered since the last call; the lines that follow go to the other buffer. The bytes stay as
   * they are until the call after next: the caller is done with them by then (a batch is loaded before the
   * next one is sent).
   */
  take(): Buffer {
    const full = this.buffer;
    // The next batch likely needs what this one grew to: a spare that small is replaced before it is written,
    // rather than filled, copied into a larger one and dropped again (its pages faulted in for nothing).
    this.buffer = this.spare.length < full.length ? Buffer.allocUnsafe(full.length) : this.spare;
    this.spare = full;
    const taken = full.subarray(0, this.used);
    this.used = 0;
    return taken;
  }
}
