import { headers as natsHeaders, type Msg, type NatsConnection } from 'nats';
import { CHUNK_HEADER, HEADER_ROOM, splitIntoChunks } from './chunks.ts';
import { type Liveness, replyTooLarge, TRANSPORT_HEADER } from './nats-liveness.ts';
import type { RequestMux } from './nats-request.ts';
import { decodeRequest, fromNatsHeaders } from './nats-wire.ts';
import type { MessageContext, RequestHandler } from './port.ts';
import { answer, type BusErrorListener } from './wire.ts';

const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);
/** A large request body is fetched from a caller that is alive (liveness decides); this only bounds it. */
const BODY_FETCH_TIMEOUT_MS = 30_000;

/** The largest body one message may carry on this connection, headers aside. */
export const chunkSizeOf = (nc: NatsConnection): number =>
  (nc.info?.max_payload ?? 1024 * 1024) - HEADER_ROOM;

/**
 * Publishes `data` on `subject` in as many messages as the server's max payload needs (chunks.ts);
 * `extra` headers go on every chunk.
 */
export function publishInChunks(
  nc: NatsConnection,
  subject: string,
  data: Uint8Array,
  extra: Record<string, string> = {},
): void {
  const size = chunkSizeOf(nc);
  if (data.length <= size && Object.keys(extra).length === 0) {
    nc.publish(subject, data);
    return;
  }
  for (const chunk of splitIntoChunks(data, size)) {
    const headers = natsHeaders();
    for (const [key, value] of Object.entries(extra)) headers.set(key, value);
    if (data.length > size) headers.set(CHUNK_HEADER, chunk.mark);
    nc.publish(subject, chunk.data, { headers });
  }
}

export interface Responder {
  nc: NatsConnection;
  mux: RequestMux;
  liveness: Liveness;
  onError: BusErrorListener | undefined;
}

/**
 * Answers one request. A Ferry caller (`ferry-reply: stream`) hears a heartbeat while the handler works and
 * gets an answer of any size in chunks; any other NATS client gets exactly one reply message, as a plain
 * `nats request` expects (an answer too large for it becomes a `bus.reply_too_large` error).
 */
export async function respond(responder: Responder, msg: Msg, handler: RequestHandler): Promise<void> {
  const { nc, liveness, onError } = responder;
  if (!msg.reply) return; // handlers answer requests only: a plain publish asks nothing
  const reply = msg.reply;
  const streaming = msg.headers?.get(TRANSPORT_HEADER.reply) === 'stream';
  const context = contextOf(msg);
  const beat = streaming
    ? setInterval(() => heartbeat(nc, reply, onError, context), liveness.heartbeatMs)
    : undefined;
  let envelope: string;
  try {
    envelope = await answer(
      async () => handler(decodeRequest(await bodyOf(responder, msg)), context),
      context,
      onError,
    );
  } finally {
    clearInterval(beat);
  }
  try {
    sendReply(nc, reply, encoder.encode(envelope), streaming);
  } catch (error) {
    onError?.(error, context);
  }
}

function sendReply(nc: NatsConnection, reply: string, data: Uint8Array, streaming: boolean): void {
  const size = chunkSizeOf(nc);
  if (streaming || data.length <= size) {
    publishInChunks(nc, reply, data);
    return;
  }
  const error = replyTooLarge(data.length, size + HEADER_ROOM).toJSON();
  nc.publish(reply, encoder.encode(JSON.stringify({ ok: false, error })));
}

function heartbeat(
  nc: NatsConnection,
  reply: string,
  onError: BusErrorListener | undefined,
  context: MessageContext,
) {
  const headers = natsHeaders();
  headers.set(TRANSPORT_HEADER.heartbeat, '1');
  try {
    nc.publish(reply, EMPTY, { headers });
  } catch (error) {
    onError?.(error, context);
  }
}

/** A request's body: in the message, or, when it was too large for one, fetched from the caller's inbox. */
async function bodyOf({ mux }: Responder, msg: Msg): Promise<Uint8Array> {
  const inbox = msg.headers?.get(TRANSPORT_HEADER.body);
  if (!inbox) return msg.data;
  return mux.request(inbox, EMPTY, natsHeaders(), BODY_FETCH_TIMEOUT_MS);
}

/** Handlers see the caller's headers, not the transport's. */
function contextOf(msg: Msg): MessageContext {
  const headers = { ...fromNatsHeaders(msg.headers) };
  for (const name of Object.values(TRANSPORT_HEADER)) delete headers[name];
  delete headers[CHUNK_HEADER];
  return { subject: msg.subject, headers };
}
