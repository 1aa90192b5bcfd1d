import { connect, type Msg, type NatsConnection, type Subscription as NatsSubscription } from 'nats';
import { createInFlight, type InFlight } from './in-flight.ts';
import { decodeRequest, fromNatsHeaders, toNatsHeaders, transportError } from './nats-wire.ts';
import {
  type Bus,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type EventHandler,
  type MessageContext,
  type RequestHandler,
  type RequestOptions,
  type Subscription,
} from './port.ts';
import { answer, type BusErrorListener, decodeJson, encodeJson, openReply } from './wire.ts';

export interface NatsBusOptions {
  /** One URL, or several separated by commas (a cluster). */
  servers: string;
  /** The connection name nats-server shows in its monitoring, e.g. the service's name. */
  name?: string;
  /** Told about failures no caller waits for: a throwing subscriber, a handler's non-domain error. */
  onError?: BusErrorListener;
}

/**
 * The bus for distributed mode. Requests carry JSON and are answered with a reply envelope; events are plain
 * JSON so any NATS client can read them (docs/bus.md). The connection reconnects forever once established,
 * but the first connect fails fast with a clear error.
 */
export async function connectNatsBus(options: NatsBusOptions): Promise<Bus> {
  const servers = options.servers.split(',').map((server) => server.trim());
  try {
    const nc = await connect({ servers, name: options.name, maxReconnectAttempts: -1 });
    return natsBus(nc, options.onError);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot connect to NATS at ${options.servers}: ${reason}`, { cause: error });
  }
}

interface Connection {
  nc: NatsConnection;
  subscriptions: Set<NatsSubscription>;
  inFlight: InFlight;
  onError: BusErrorListener | undefined;
}

function natsBus(nc: NatsConnection, onError: BusErrorListener | undefined): Bus {
  const connection: Connection = { nc, subscriptions: new Set(), inFlight: createInFlight(), onError };
  let closing: Promise<void> | undefined;
  return {
    request: (subject, payload, options) => request(nc, subject, payload, options),
    handle: (subject, handler, { queue } = {}) =>
      listen(connection, subject, queue, (msg) => respond(msg, handler, onError)),
    async publish(subject, payload, headers) {
      const data = encodeJson(payload);
      try {
        nc.publish(subject, data, { headers: toNatsHeaders(headers) });
      } catch (error) {
        throw transportError(error, subject, 0);
      }
    },
    subscribe: (subject, handler, { queue } = {}) =>
      listen(connection, subject, queue, (msg) => deliver(msg, handler, onError)),
    close() {
      closing ??= close(connection);
      return closing;
    },
    describe: () => `nats ${nc.info?.version ?? 'unknown'} at nats://${nc.getServer()}`,
  };
}

async function request(nc: NatsConnection, subject: string, payload: unknown, options: RequestOptions = {}) {
  const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const data = encodeJson(payload);
  let reply: Msg;
  try {
    reply = await nc.request(subject, data, { timeout: timeoutMs, headers: toNatsHeaders(options.headers) });
  } catch (error) {
    throw transportError(error, subject, timeoutMs);
  }
  return openReply(decodeJson(reply.data));
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
  return {
    async unsubscribe() {
      if (!subscriptions.delete(sub)) return;
      sub.unsubscribe();
      if (!nc.isClosed()) await nc.flush();
    },
  };
}

/** Handlers answer requests only: a message without a reply subject asks nothing. */
async function respond(msg: Msg, handler: RequestHandler, onError: BusErrorListener | undefined) {
  if (!msg.reply) return;
  const context = contextOf(msg);
  const reply = await answer(() => handler(decodeRequest(msg.data), context), context, onError);
  try {
    msg.respond(new TextEncoder().encode(reply));
  } catch (error) {
    onError?.(error, context);
  }
}

async function deliver(msg: Msg, handler: EventHandler, onError: BusErrorListener | undefined) {
  const context = contextOf(msg);
  try {
    await handler(decodeJson(msg.data), context);
  } catch (error) {
    onError?.(error, context);
  }
}

function contextOf(msg: Msg): MessageContext {
  return { subject: msg.subject, headers: fromNatsHeaders(msg.headers) };
}

/** Stop deliveries, let running handlers finish (they may still reply and publish), then drain the connection. */
async function close({ nc, subscriptions, inFlight }: Connection): Promise<void> {
  if (nc.isClosed()) return;
  await Promise.allSettled([...subscriptions].map((sub) => sub.drain()));
  subscriptions.clear();
  await inFlight.idle();
  if (!nc.isClosed()) await nc.drain();
}
