/**
 * Messages larger than the NATS server's max payload travel as consecutive chunks of one subject, each
 * marked `ferry-chunk: <index>/<count>`; NATS keeps the order of one publisher's messages to one
 * subscriber, so the receiver only has to append them. Pure functions: the transport does the sending.
 */
export const CHUNK_HEADER = 'ferry-chunk';

/** Room left in a message for its headers, so a chunk never exceeds the server's limit. */
export const HEADER_ROOM = 8 * 1024;

export interface Chunk {
  data: Uint8Array;
  /** `<index>/<count>`, the value of the chunk header. */
  mark: string;
}

/** `data` in pieces of at most `size` bytes; one piece when it fits. */
export function splitIntoChunks(data: Uint8Array, size: number): Chunk[] {
  if (size <= 0) throw new RangeError(`chunk size must be positive, got ${size}`);
  const count = Math.max(1, Math.ceil(data.length / size));
  return Array.from({ length: count }, (_, index) => ({
    data: data.subarray(index * size, (index + 1) * size),
    mark: `${index}/${count}`,
  }));
}

export interface ChunkMark {
  index: number;
  count: number;
}

/** The chunk header's value read back; `null` for anything that is not `<index>/<count>` with index < count. */
export function parseChunkMark(mark: string | undefined): ChunkMark | null {
  const match = mark?.match(/^(\d+)\/(\d+)$/);
  if (!match) return null;
  const index = Number(match[1]);
  const count = Number(match[2]);
  return index < count ? { index, count } : null;
}

/**
 * Collects the chunks of one message in order. `add` answers the whole message once the last chunk is in,
 * `null` before; a chunk out of order is a broken message (a lost chunk), reported by throwing.
 */
export class ChunkAssembly {
  readonly #parts: Uint8Array[] = [];

  add(mark: ChunkMark, data: Uint8Array): Uint8Array | null {
    if (mark.index !== this.#parts.length) {
      throw new Error(`chunk ${mark.index} of ${mark.count} arrived after ${this.#parts.length} chunks`);
    }
    this.#parts.push(data);
    if (this.#parts.length < mark.count) return null;
    return concat(this.#parts);
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const whole = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    whole.set(part, offset);
    offset += part.length;
  }
  return whole;
}
