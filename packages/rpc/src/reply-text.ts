import { JsonText, jsonValueOf } from '@ferry/bus';
import type { OperationReply } from '@ferry/contracts';

/**
 * An operation's reply as it crosses the bus: serialised once, by the service, as `{"etag":N,"body":…}`
 * (each part only when present), which is what `JSON.stringify` makes of the reply with its etag first.
 * The gateway sends the body's text as it stands (`sendableReply`): in embedded mode a whole list is
 * serialised once on its way to the client, not serialised, parsed and serialised again.
 */
export const replyAsJsonText = ({ etag, body }: OperationReply): JsonText => {
  const parts: string[] = [];
  if (etag !== undefined) parts.push(`"etag":${JSON.stringify(etag)}`);
  const bodyText = JSON.stringify(body);
  if (bodyText !== undefined) parts.push(`"body":${bodyText}`);
  return new JsonText(`{${parts.join(',')}}`);
};

/** A reply ready for HTTP: its body as a value (it came over NATS) or as the service's JSON text. */
export type SendableReply = { etag?: number } & ({ body: unknown } | { bodyText: string });

/** `{"etag":N,` or `{`, then `"body":` when a body follows: what `replyAsJsonText` writes before the body. */
const HEAD = /^\{(?:"etag":(-?\d+),?)?("body":)?/;

/** The reply as the bus delivered it, for sending: the body's text cut from `replyAsJsonText`'s, unparsed. */
export const sendableReply = (value: unknown): SendableReply => {
  if (!(value instanceof JsonText)) return value as OperationReply;
  const head = HEAD.exec(value.text)!;
  const etag = head[1] === undefined ? {} : { etag: Number(head[1]) };
  if (head[2] === undefined) return { ...etag, body: undefined };
  const bodyText = value.text.slice(head[0].length, -1);
  // Only an object or array goes out as it stands: fastify sends other values its own way (a string as text).
  return isStructure(bodyText) ? { ...etag, bodyText } : { ...etag, body: JSON.parse(bodyText) };
};

const isStructure = (text: string) => text.startsWith('{') || text.startsWith('[');

/** The reply as the bus delivered it, as values: a `JsonText` parsed, as it would be over NATS. */
export const openOperationReply = (value: unknown): OperationReply => jsonValueOf(value) as OperationReply;
