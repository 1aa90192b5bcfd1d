import { DomainError, type DomainErrorShape } from '@ferry/contracts';
import type { MessageContext } from './port.ts';

/**
 * What crosses the bus, shared by both transports so embedded mode behaves like the wire: payloads are JSON
 * (Dates become strings, `undefined` disappears, nothing is shared), and a reply is this envelope, which any
 * NATS client can read.
 */
export type ReplyEnvelope = { ok: true; value?: unknown } | { ok: false; error: DomainErrorShape };

/** Where a transport reports failures nobody is waiting for: a throwing subscriber, a handler's defect. */
export type BusErrorListener = (error: unknown, context: MessageContext) => void;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** `undefined` travels as an empty body, because JSON has no spelling for it. */
export function encodeJson(value: unknown): Uint8Array {
  return value === undefined ? new Uint8Array(0) : encoder.encode(JSON.stringify(value));
}

export function decodeJson(bytes: Uint8Array): unknown {
  return bytes.length === 0 ? undefined : JSON.parse(decoder.decode(bytes));
}

/**
 * A value already serialised as JSON, carried as its text. A handler answers with one to spare the bus a
 * serialisation: over NATS its text is the reply's value as it stands; in-process the caller receives this
 * same object, which is safe to share because it is frozen and holds only a string (no copy is needed to
 * keep the handler's objects from the caller). The caller reads `text` or parses it.
 */
export class JsonText {
  readonly text: string;

  /** Frozen here; a subclass that adds fields freezes itself once they are set. */
  constructor(text: string) {
    this.text = text;
    if (new.target === JsonText) Object.freeze(this);
  }
}

/**
 * A value serialised as JSON text that is made over time, in chunks whose concatenation is the text: a
 * whole list read a slice at a time, so the process holds one slice of it, not all of it. In-process the
 * caller receives this object and reads the chunks as they come (a gateway sends each on to its client);
 * over NATS the bus reads them all and sends the text, as it sends a `JsonText`'s. `chunks` is read once.
 */
export class JsonTextStream {
  readonly chunks: () => AsyncIterable<string>;

  /** Frozen here; a subclass that adds fields freezes itself once they are set. */
  constructor(chunks: () => AsyncIterable<string>) {
    this.chunks = chunks;
    if (new.target === JsonTextStream) Object.freeze(this);
  }
}

/** A `JsonTextStream`'s whole text, for a caller that needs the value (the wire, a service's call). */
export async function wholeText(stream: JsonTextStream): Promise<string> {
  let text = '';
  for await (const chunk of stream.chunks()) text += chunk;
  return text;
}

/**
 * What a caller makes of a reply that may be a `JsonText` (in-process) or its parsed value (over NATS). A
 * `JsonTextStream` is read with `wholeText` first: its text is not there yet.
 */
export function jsonValueOf(value: unknown): unknown {
  if (value instanceof JsonTextStream) throw new TypeError('a JsonTextStream is read with wholeText first');
  return value instanceof JsonText ? JSON.parse(value.text) : value;
}

/** Serialises once at send time (later mutation by the sender cannot leak), then gives each receiver its own copy. */
export function jsonCopies(value: unknown): () => unknown {
  const text = value === undefined ? undefined : JSON.stringify(value);
  return () => (text === undefined ? undefined : JSON.parse(text));
}

/**
 * Runs a request handler (`run`) and serialises its outcome as a reply envelope. Domain errors travel whole; anything
 * else is a defect: the caller learns only "internal" (no stack leaks) and `onError` gets the real error.
 * A value JSON cannot carry counts as a defect too.
 */
export async function answer(
  run: () => unknown,
  context: MessageContext,
  onError: BusErrorListener | undefined,
): Promise<string> {
  try {
    const value = await run();
    // The text `JSON.stringify` would make of the envelope, without serialising the value again.
    if (value instanceof JsonText) return `{"ok":true,"value":${value.text}}`;
    if (value instanceof JsonTextStream) return `{"ok":true,"value":${await wholeText(value)}}`;
    const reply: ReplyEnvelope = { ok: true, value };
    return JSON.stringify(reply);
  } catch (error) {
    return JSON.stringify(failure(error, context, onError));
  }
}

/**
 * `answer` for a caller in the same process: the envelope as the caller would read it from the wire (a JSON
 * copy of the value, or the handler's own `JsonText` or `JsonTextStream`), without writing and reading the
 * envelope's text.
 */
export async function settle(
  run: () => unknown,
  context: MessageContext,
  onError: BusErrorListener | undefined,
): Promise<ReplyEnvelope> {
  try {
    const value = await run();
    const shared = value instanceof JsonText || value instanceof JsonTextStream;
    return { ok: true, value: shared ? value : jsonCopy(value) };
  } catch (error) {
    return jsonCopy(failure(error, context, onError)) as ReplyEnvelope;
  }
}

function failure(error: unknown, context: MessageContext, onError: BusErrorListener | undefined) {
  if (!DomainError.is(error)) onError?.(error, context);
  const reply: ReplyEnvelope = { ok: false, error: wireErrorOf(error).toJSON() };
  return reply;
}

/** What a value becomes through JSON; what JSON cannot spell (a function, `undefined`) disappears. */
function jsonCopy(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? undefined : JSON.parse(text);
}

/**
 * What a caller may learn of a handler's failure, decided here only: a `DomainError` whole, anything else
 * as `internal` with no detail (the real error stays its `cause`, never sent). A framework sitting on the
 * port (`@ferry/nest-bus`'s exception filter) calls this instead of mapping errors its own way.
 */
export function wireErrorOf(error: unknown): DomainError {
  if (DomainError.is(error)) return error;
  return new DomainError(
    { code: 'internal', category: 'internal', message: 'Internal error while handling the request' },
    { cause: error },
  );
}

/** The caller's side of `answer`: the value, or the handler's error rebuilt as a `DomainError`. */
export function openReply(envelope: unknown): unknown {
  const reply = envelope as Partial<{ ok: boolean; value: unknown; error: DomainErrorShape }> | null;
  if (reply?.ok === true) return reply.value;
  if (reply?.ok === false && reply.error) throw new DomainError(reply.error);
  throw new DomainError({
    code: 'bus.bad_reply',
    category: 'internal',
    message: 'The reply is not an envelope',
  });
}

export function noResponders(subject: string): DomainError {
  return new DomainError({
    code: 'bus.no_responders',
    category: 'unavailable',
    message: `No service answers ${subject}`,
  });
}

export function timedOut(subject: string, timeoutMs: number): DomainError {
  return new DomainError({
    code: 'bus.timeout',
    category: 'timeout',
    message: `No answer on ${subject} within ${timeoutMs} ms`,
  });
}

export function busClosed(): DomainError {
  return new DomainError({ code: 'bus.closed', category: 'unavailable', message: 'The bus is closed' });
}
