import { Readable } from 'node:stream';
import type { BodySlices } from '@ferry/rpc';

/** From this many characters a body is streamed (`PartsBody`). */
const STREAMED_FROM = 1024 * 1024;
/** The parts are sent in chunks of about this many characters: one socket write each, not one per item. */
const CHUNK = 64 * 1024;
/**
 * From this many characters, and below STREAMED_FROM, a body goes out as one buffer (`bufferOf`); below it
 * as one string, as fastify sends any other (an answer to a create or a get: their path is unchanged).
 */
const BUFFERED_FROM = CHUNK;

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

/**
 * A body's parts written into one buffer of their UTF-8 bytes. Joined into one string, a page of a list (290 KB
 * for web_backend's 100 connections) was copied three times on its way to the socket: the join, Node's HTTP
 * putting the headers before it, the UTF-8 encoding; the first two were strings of V8's large-object space
 * for the next scavenge. Written here it is encoded once, and Node writes the headers and it together
 * (ADR 0037).
 */
const bufferOf = (parts: readonly string[]): Buffer => {
  let bytes = 0;
  for (const part of parts) bytes += Buffer.byteLength(part);
  const buffer = Buffer.allocUnsafe(bytes); // every byte written below
  let at = 0;
  for (const part of parts) at += buffer.write(part, at);
  return buffer;
};

/** What fastify is given to send a body's parts: their one string, their one buffer, or a `PartsBody` when large. */
export const sendableBody = (parts: readonly string[]): string | Buffer | PartsBody => {
  let length = 0;
  for (const part of parts) length += part.length;
  if (length < BUFFERED_FROM) return parts.join('');
  return length < STREAMED_FROM ? bufferOf(parts) : new PartsBody(parts);
};

/**
 * A body made a slice at a time (`StreamedBodyText`: a whole list read in slices) as a stream of chunks of
 * about CHUNK characters, each made as the socket asks for it, so the process holds a slice and a chunk of
 * it, never the whole answer. Its length is known only after its last slice: it goes out chunked.
 */
export const slicedBody = (slices: BodySlices): Readable =>
  Readable.from(chunksOf(slices()), { objectMode: false });

async function* chunksOf(slices: AsyncIterable<readonly string[]>) {
  let chunk: string[] = [];
  let length = 0;
  for await (const parts of slices)
    for (const part of parts) {
      chunk.push(part);
      length += part.length;
      if (length < CHUNK) continue;
      yield Buffer.from(chunk.join(''));
      chunk = [];
      length = 0;
    }
  if (length > 0) yield Buffer.from(chunk.join(''));
}
