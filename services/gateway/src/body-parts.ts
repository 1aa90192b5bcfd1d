import { Readable } from 'node:stream';

/** Below this many characters a body goes out as one string, as fastify sends any other. */
const STREAMED_FROM = 1024 * 1024;
/** The parts are sent in chunks of about this many characters: one socket write each, not one per item. */
const CHUNK = 64 * 1024;

/**
 * A large body given in parts (a list's items, `BodyText`) sent as a stream of chunks, so the process never
 * holds the whole answer as one string besides its UTF-8 copy for the socket (a whole list of 10,000
 * connections is 23 MB). It knows its length in bytes: the client gets a Content-Length, not a chunked
 * answer, so the same bytes as for the one string. Chunks are made as the socket asks for them.
 */
export class PartsBody extends Readable {
  readonly byteLength: number;
  readonly #parts: readonly string[];
  #next = 0;

  constructor(parts: readonly string[]) {
    super();
    this.#parts = parts;
    this.byteLength = parts.reduce((sum, part) => sum + Buffer.byteLength(part), 0);
  }

  override _read() {
    const chunk: string[] = [];
    let length = 0;
    while (length < CHUNK && this.#next < this.#parts.length) {
      const part = this.#parts[this.#next++]!;
      chunk.push(part);
      length += part.length;
    }
    this.push(length > 0 ? Buffer.from(chunk.join('')) : null);
    if (length > 0 && this.#next === this.#parts.length) this.push(null);
  }
}

/** What fastify is given to send a body's parts: their one string, or a `PartsBody` when large. */
export const sendableBody = (parts: readonly string[]): string | PartsBody => {
  let length = 0;
  for (const part of parts) length += part.length;
  return length < STREAMED_FROM ? parts.join('') : new PartsBody(parts);
};
