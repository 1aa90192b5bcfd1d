import { JsonText, jsonValueOf } from '@ferry/bus';
import type { OperationReply } from '@ferry/contracts';

/**
 * An operation's reply as it crosses the bus: serialised once, by the service, as `{"etag":N,"body":…}`
 * (each part only when present), which is what `JSON.stringify` makes of the reply with its etag first.
 * It keeps its parts, so a gateway in the same process sends the body's text as it stands
 * (`sendableReply`): in embedded mode a whole list is serialised once on its way to the client, not
 * serialised, parsed and serialised again.
 */
export class ReplyText extends JsonText {
  readonly etag: number | undefined;
  /** `undefined` when the reply has no body (JSON cannot spell it). */
  readonly bodyText: string | undefined;

  constructor(etag: number | undefined, bodyText: string | undefined) {
    const parts: string[] = [];
    if (etag !== undefined) parts.push(`"etag":${JSON.stringify(etag)}`);
    if (bodyText !== undefined) parts.push(`"body":${bodyText}`);
    super(`{${parts.join(',')}}`);
    this.etag = etag;
    this.bodyText = bodyText;
    Object.freeze(this);
  }
}

/**
 * A reply body its handler serialised itself (a list joined from the read store's texts): the reply takes
 * its text as it stands. `T` is the body the text spells, so a handler answering one is still checked
 * against its operation's response type; the text must be what `JSON.stringify` makes of such a body.
 */
export class BodyText<T> extends JsonText {
  /** Never set: it only carries `T`. */
  declare readonly spells?: T;

  constructor(text: string) {
    super(text);
    Object.freeze(this);
  }
}

export const replyAsJsonText = ({ etag, body }: OperationReply): ReplyText =>
  new ReplyText(etag, body instanceof BodyText ? body.text : JSON.stringify(body));

/** A reply ready for HTTP: its body as a value (it came over NATS) or as the service's JSON text. */
export type SendableReply = { etag?: number } & ({ body: unknown } | { bodyText: string });

/** The reply as the bus delivered it, for sending: the service's text of the body when it has it. */
export const sendableReply = (value: unknown): SendableReply => {
  if (!(value instanceof ReplyText)) return openOperationReply(value);
  const etag = value.etag === undefined ? {} : { etag: value.etag };
  const { bodyText } = value;
  if (bodyText === undefined) return { ...etag, body: undefined };
  // Only an object or array goes out as it stands: fastify sends other values its own way (a string as text).
  return isStructure(bodyText) ? { ...etag, bodyText } : { ...etag, body: JSON.parse(bodyText) };
};

const isStructure = (text: string) => text.startsWith('{') || text.startsWith('[');

/** The reply as the bus delivered it, as values: a `JsonText` parsed, as it would be over NATS. */
export const openOperationReply = (value: unknown): OperationReply => jsonValueOf(value) as OperationReply;
