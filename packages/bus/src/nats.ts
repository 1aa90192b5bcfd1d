import type { Msg, NatsConnection, Subscription as NatsSubscription } from 'nats';
import { DomainError } from '@ferry/contracts';
import { CHUNK_HEADER } from './chunks.ts';
import { createInFlight, type InFlight } from './in-flight.ts';
import {
  inboxPrefixOf,
  type NatsConnectionOptions,
  openNatsConnection,
  reportPublishDenials,
} from './nats-connect.ts';
import { eventAssembler, publishEvent } from './nats-events.ts';
import { DEFAULT_LIVENESS, type Liveness, notPermitted, TRANSPORT_HEADER } from './nats-liveness.ts';
import { respond, type Responder } from './nats-reply.ts';
import { createRequestMux } from './nats-request.ts';
import { fromNatsHeaders, toNatsHeaders, transportError } from './nats-wire.ts';
import {
  BUS_PING_TIMEOUT_MS,
  type Bus,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type EventHandler,
  type Subscription,
} from './port.ts';
import { type BusErrorListener, decodeJson, encodeJson, openReply } from './wire.ts';

export interface NatsBusOptions extends NatsConnectionOptions {
  /** Told about failures no caller waits for: a throwing subscriber, a handler's non-domain error. */
  onError?: BusErrorListener;
  /** How often a responder shows it is alive, and how long a caller waits without a sign (nats-liveness.ts). */
  liveness?: Liveness;
}

/**
 * The bus for distributed mode. Requests carry JSON and are answered with a reply envelope; events are plain
 * JSON so any NATS client can read them (docs/bus.md). The connection reconnects forever once established,
 * but the first connect fails fast with a clear error (nats-connect.ts).
 */
export async function connectNatsBus(options: NatsBusOptions): Promise<Bus> {
  const nc = await openNatsConnection(options);
  void reportPublishDenials(nc, options.onError);
  const inboxPrefix = inboxPrefixOf(options.name);
  return natsBus(nc, inboxPrefix, options.liveness ?? DEFAULT_LIVENESS, options.onError);
}

interface Connection extends Responder {
  subscriptions: Set<NatsSubscription>;
  inFlight: InFlight;
}

function natsBus(
  nc: NatsConnection,
  inboxPrefix: string,
  liveness: Liveness,
  onError: BusErrorListener | undefined,
): Bus {
  const mux = createRequestMux(nc, liveness, inboxPrefix);
  const connection: Connection = {
    nc,
    mux,
    liveness,
    onError,
    subscriptions: new Set(),
    inFlight: createInFlight(),
  };
  let closing: Promise<void> | undefined;
  return {
    async request(subject, payload, options = {}) {
      const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
      const headers = toNatsHeaders(options.headers);
      const answer = await mux
        .request(subject, encodeJson(payload), headers, timeoutMs)
        .catch((error: unknown) => {
          throw DomainError.is(error) ? error : transportError(error, subject, timeoutMs);
        });
      return openReply(decodeJson(answer));
    },
    handle: (subject, handler, { queue } = {}) =>
      listen(connection, subject, queue, (msg) => respond(connection, msg, handler)),
    async publish(subject, payload, headers) {
      try {
        publishEvent(nc, subject, encodeJson(payload), headers);
      } catch (error) {
        throw transportError(error, subject, 0);
      }
    },
    subscribe(subject, handler, { queue } = {}) {
      const assemble = eventAssembler();
      return listen(connection, subject, queue, (msg) => deliver(msg, assemble, handler, onError));
    },
    close() {
      closing ??= close(connection);
      return closing;
    },
    describe: () => `nats ${nc.info?.version ?? 'unknown'} at nats://${nc.getServer()}`,
    ping: () => serverAnswers(nc),
  };
}

/** A flush is a PING the server answers with a PONG; while reconnecting it waits, so it is given a deadline. */
async function serverAnswers(nc: NatsConnection): Promise<boolean> {
  if (nc.isClosed()) return false;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), BUS_PING_TIMEOUT_MS);
  });
  const pong = nc.flush().then(
    () => true,
    () => false,
  );
  return Promise.race([pong, late]).finally(() => clearTimeout(timer));
}

/**
 * Subscribes and waits until the server has the subscription (flush), so a message published by another
 * client right after this resolves is delivered.
 */
async function listen(
  connection: Connection,
  subject: string,
  queue: string | undefined,
  onMessage: (msg: Msg) => Promise<void>,
): Promise<Subscription> {
  const { nc, subscriptions, inFlight } = connection;
  const sub = nc.subscribe(subject, {
    ...(queue ? { queue } : {}),
    callback: (error, msg) => {
      if (error) connection.onError?.(error, { subject, headers: {} });
      else inFlight.track(onMessage(msg));
    },
  });
  subscriptions.add(sub);
  await nc.flush();
  // The server denies a subscription before it answers the flush, and nats.js then closes it: without this
  // check a service lacking the permission would start and never hear a request.
  if (sub.isClosed()) {
    subscriptions.delete(sub);
    throw notPermitted('subscribe to', subject);
  }
  return {
    async unsubscribe() {
      if (!subscriptions.delete(sub)) return;
      sub.unsubscribe();
      if (!nc.isClosed()) await nc.flush();
    },
  };
}

async function deliver(
  msg: Msg,
  assemble: (msg: Msg) => Uint8Array | null,
  handler: EventHandler,
  onError: BusErrorListener | undefined,
) {
  const headers = { ...fromNatsHeaders(msg.headers) };
  delete headers[TRANSPORT_HEADER.messageId];
  delete headers[CHUNK_HEADER];
  const context = { subject: msg.subject, headers };
  try {
    const body = assemble(msg);
    if (body) await handler(decodeJson(body), context);
  } catch (error) {
    onError?.(error, context);
  }
}

/** Stop deliveries, let running handlers finish (they may still reply and publish), then drain the connection. */
async function close({ nc, mux, subscriptions, inFlight }: Connection): Promise<void> {
  if (nc.isClosed()) return;
  await Promise.allSettled([...subscriptions].map((sub) => sub.drain()));
  subscriptions.clear();
  await inFlight.idle();
  mux.close();
  if (!nc.isClosed()) await nc.drain();
}
