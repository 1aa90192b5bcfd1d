import { randomFillSync } from 'node:crypto';

/** Ids drawn per fill of the random buffer: one call to the CSPRNG for all of them. */
const IDS_PER_DRAW = 4096;

/**
 * Random version 4 UUIDs (RFC 4122: 122 random bits, the version and variant bits set), as the 16 bytes COPY's
 * binary format takes. Drawn from a pooled buffer so a record's id is a slice of it rather than a randomUUID
 * call each; a row that goes as text prints its id's hex digits then (see TypedRows), the others never do.
 */
export class RecordIds {
  private bytes = Buffer.alloc(0);
  private next = IDS_PER_DRAW;

  take(): Buffer {
    if (this.next === IDS_PER_DRAW) this.draw();
    const at = 16 * this.next++;
    return this.bytes.subarray(at, at + 16);
  }

  private draw(): void {
    const bytes = randomFillSync(Buffer.allocUnsafe(16 * IDS_PER_DRAW));
    for (let at = 0; at < bytes.length; at += 16) {
      bytes[at + 6] = (bytes[at + 6]! & 0x0f) | 0x40; // version 4
      bytes[at + 8] = (bytes[at + 8]! & 0x3f) | 0x80; // variant 10xx
    }
    this.bytes = bytes;
    this.next = 0;
  }
}
