import { JsonText, JsonTextStream, jsonValueOf } from '@ferry/bus';
import type { OperationReply } from '@ferry/contracts';

/**
 * Parts concatenated with `+`, which V8 keeps as a rope over the parts until something reads its characters:
 * a 23 MB list answered in process is never copied into one flat string (the gateway sends the parts).
 */
const concatenated = (parts: readonly string[]) => {
  let text = '';
  for (const part of parts) text += part;
  return text;
};

/**
 * An operation's reply as it crosses the bus: serialised once, by the service, as `{"etag":N,"body":…}`
 * (each part only when present), which is what `JSON.stringify` makes of the reply with its etag first.
 * It keeps its parts, so a gateway in the same process sends the body's text as it stands
 * (`sendableReply`): in embedded mode a whole list is serialised once on its way to the client, not
 * serialised, parsed and serialised again.
 */
export class ReplyText extends JsonText {
  readonly etag: number | undefined;
  /** The body's text in the parts it was made of (see `BodyText`); `undefined` when the reply has none. */
  readonly bodyParts: readonly string[] | undefined;

  constructor(etag: number | undefined, bodyParts: readonly string[] | undefined) {
    const fields: string[] = [];
    if (etag !== undefined) fields.push(`"etag":${JSON.stringify(etag)}`);
    if (bodyParts !== undefined) fields.push(`"body":`);
    // Concatenated, not joined: a join would copy the body (NATS reads the text, an in-process gateway does not).
    super(concatenated([`{${fields.join(',')}`, ...(bodyParts ?? []), '}']));
    this.etag = etag;
    this.bodyParts = bodyParts;
    Object.freeze(this);
  }
}

/**
 * A reply body its handler serialised itself (a list joined from the read store's texts): the reply takes
 * its text as it stands. `T` is the body the text spells, so a handler answering one is still checked
 * against its operation's response type; the text must be what `JSON.stringify` makes of such a body.
 * A list gives it in parts (each item's text, the punctuation between them), whose concatenation is the
 * text: a gateway in the same process streams them to the client without building the whole answer.
 */
export class BodyText<T> extends JsonText {
  /** Never set: it only carries `T`. */
  declare readonly spells?: T;
  readonly parts: readonly string[];

  constructor(parts: string | readonly string[]) {
    const all = typeof parts === 'string' ? [parts] : parts;
    super(concatenated(all));
    this.parts = all;
    Object.freeze(this);
  }
}

/** A body's text as parts produced a slice at a time (`StreamedBodyText`); read once. */
export type BodySlices = () => AsyncIterable<readonly string[]>;

/**
 * A reply body its handler serialises a slice at a time (a whole list read in slices): a `BodyText` whose
 * parts come over time, so the process holds one slice's texts, not the whole answer's. Their concatenation
 * is what `JSON.stringify` makes of the body `T`. A handler reads its first slice before it answers, so that
 * what fails at once (an unknown workspace) is still its error; a later slice that fails can only cut the
 * answer short.
 */
export class StreamedBodyText<T> {
  /** Never set: it only carries `T`. */
  declare readonly spells?: T;
  readonly slices: BodySlices;

  constructor(slices: BodySlices) {
    this.slices = slices;
    Object.freeze(this);
  }
}

/**
 * A reply whose body is a `StreamedBodyText`: in-process a gateway sends its slices on as they come
 * (`bodySlices`); over NATS the bus reads its chunks, the envelope `{"etag":N,"body":…}` around the body's
 * parts, and sends the whole text.
 */
export class StreamedReplyText extends JsonTextStream {
  readonly etag: number | undefined;
  readonly bodySlices: BodySlices;

  constructor(etag: number | undefined, bodySlices: BodySlices) {
    super(async function* () {
      yield etag === undefined ? '{"body":' : `{"etag":${JSON.stringify(etag)},"body":`;
      for await (const parts of bodySlices()) yield concatenated(parts);
      yield '}';
    });
    this.etag = etag;
    this.bodySlices = bodySlices;
    Object.freeze(this);
  }
}

export const replyAsJsonText = ({ etag, body }: OperationReply): ReplyText | StreamedReplyText => {
  if (body instanceof StreamedBodyText) return new StreamedReplyText(etag, body.slices);
  if (body instanceof BodyText) return new ReplyText(etag, body.parts);
  const text = JSON.stringify(body);
  return new ReplyText(etag, text === undefined ? undefined : [text]);
};

/**
 * A reply ready for HTTP: its body as a value (it came over NATS), as the parts of the service's JSON text,
 * or as those parts a slice at a time.
 */
export type SendableReply = { etag?: number } & (
  | { body: unknown }
  | { bodyParts: readonly string[] }
  | { bodySlices: BodySlices }
);

/** The reply as the bus delivered it, for sending: the service's text of the body when it has it. */
export const sendableReply = (value: unknown): SendableReply => {
  if (value instanceof StreamedReplyText)
    return value.etag === undefined
      ? { bodySlices: value.bodySlices }
      : { etag: value.etag, bodySlices: value.bodySlices };
  if (!(value instanceof ReplyText)) return openOperationReply(value);
  const etag = value.etag === undefined ? {} : { etag: value.etag };
  const { bodyParts } = value;
  if (bodyParts === undefined) return { ...etag, body: undefined };
  // Only an object or array goes out as it stands: fastify sends other values its own way (a string as text).
  return isStructure(bodyParts)
    ? { ...etag, bodyParts }
    : { ...etag, body: JSON.parse(concatenated(bodyParts)) };
};

/** Its first character says it: the first of its first part that is not empty. */
const isStructure = (parts: readonly string[]) => {
  const first = parts.find((part) => part !== '')?.[0];
  return first === '{' || first === '[';
};

/** The reply as the bus delivered it, as values: a `JsonText` parsed, as it would be over NATS. */
export const openOperationReply = (value: unknown): OperationReply => jsonValueOf(value) as OperationReply;
