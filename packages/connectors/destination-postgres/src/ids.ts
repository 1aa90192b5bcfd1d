import { randomFillSync } from 'node:crypto';

/** Ids drawn per fill of the random buffer: one call to the CSPRNG and one hex encoding for all of them. */
const IDS_PER_DRAW = 4096;

/**
 * Random version 4 UUIDs (RFC 4122: 122 random bits, the version and variant bits set), as the 32 hex digits
 * PostgreSQL's uuid input takes without hyphens: the stored uuid is the same. Drawn from a pooled buffer so a
 * record's id is one slice of a string rather than a randomUUID call and a formatted string each.
 */
export class RecordIds {
  private bytes = Buffer.alloc(0);
  private hex = '';
  private next = IDS_PER_DRAW;

  take(): string {
    if (this.next === IDS_PER_DRAW) this.draw();
    const at = 32 * this.next++;
    return this.hex.slice(at, at + 32);
  }

  /** The id `take` returned last, as the 16 bytes of the uuid (COPY's binary format takes them so). */
  lastBytes(): Buffer {
    const at = 16 * (this.next - 1);
    return this.bytes.subarray(at, at + 16);
  }

  private draw(): void {
    const bytes = randomFillSync(Buffer.allocUnsafe(16 * IDS_PER_DRAW));
    for (let at = 0; at < bytes.length; at += 16) {
      bytes[at + 6] = (bytes[at + 6]! & 0x0f) | 0x40; // version 4
      bytes[at + 8] = (bytes[at + 8]! & 0x3f) | 0x80; // variant 10xx
    }
    this.bytes = bytes;
    this.hex = bytes.toString('hex');
    this.next = 0;
  }
}
