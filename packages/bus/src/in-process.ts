import { createInFlight, type InFlight } from './in-flight.ts';
import {
  type Bus,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type EventHandler,
  type Headers,
  type MessageContext,
  type RequestHandler,
  type RequestOptions,
  type Subscription,
} from './port.ts';
import { createRouter, type Router } from './router.ts';
import {
  type BusErrorListener,
  busClosed,
  jsonCopies,
  noResponders,
  openReply,
  settle,
  timedOut,
} from './wire.ts';

export interface InProcessBusOptions {
  /** Told about failures no caller waits for: a throwing subscriber, a handler's non-domain error. */
  onError?: BusErrorListener;
}

interface Hub {
  handlers: Router<RequestHandler>;
  subscribers: Router<EventHandler>;
  inFlight: InFlight;
  onError: BusErrorListener | undefined;
  state: 'open' | 'closing' | 'closed';
}

/**
 * The bus for embedded mode: every service in one Node process. It routes like nats-server and copies every
 * payload through JSON, so code that works here works over NATS (a reply already in JSON, a `JsonText`,
 * reaches its caller as it is: immutable, it needs no copy). Subscribers run after `publish` returns.
 */
export function createInProcessBus(options: InProcessBusOptions = {}): Bus {
  const hub: Hub = {
    handlers: createRouter(),
    subscribers: createRouter(),
    inFlight: createInFlight(),
    onError: options.onError,
    state: 'open',
  };
  let closing: Promise<void> | undefined;
  return {
    request: (subject, payload, requestOptions) => request(hub, subject, payload, requestOptions),
    handle: (subject, handler, { queue } = {}) => register(hub, hub.handlers, subject, handler, queue),
    publish: (subject, payload, headers) => publish(hub, subject, payload, headers),
    subscribe: (subject, handler, { queue } = {}) => register(hub, hub.subscribers, subject, handler, queue),
    close() {
      closing ??= close(hub);
      return closing;
    },
    describe: () => 'in-process',
    ping: async () => hub.state === 'open',
  };
}

async function register<T>(hub: Hub, router: Router<T>, subject: string, target: T, queue?: string) {
  if (hub.state !== 'open') throw busClosed();
  const remove = router.add(subject, queue, target);
  const subscription: Subscription = { unsubscribe: async () => remove() };
  return subscription;
}

/** Like a NATS request, every plain handler and one member per queue group get it; the first answer wins. */
async function request(hub: Hub, subject: string, payload: unknown, options: RequestOptions = {}) {
  if (hub.state === 'closed') throw busClosed();
  const targets = hub.handlers.route(subject);
  if (targets.length === 0) throw noResponders(subject);
  const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const copies = jsonCopies(payload);
  const context: MessageContext = { subject, headers: { ...options.headers } };
  const replies = targets.map((handler) => {
    const reply = settle(
      async () => handler(copies(), { subject, headers: { ...context.headers } }),
      context,
      hub.onError,
    );
    hub.inFlight.track(reply);
    return reply;
  });
  // Nearly always one queue group answers: no race to set up for it.
  const first = replies.length === 1 ? replies[0]! : Promise.race(replies);
  const reply = await withTimeout(first, timeoutMs, () => timedOut(subject, timeoutMs));
  return openReply(reply);
}

async function publish(hub: Hub, subject: string, payload: unknown, headers: Headers = {}): Promise<void> {
  if (hub.state === 'closed') throw busClosed();
  const copies = jsonCopies(payload);
  for (const handler of hub.subscribers.route(subject)) {
    hub.inFlight.track(deliver(handler, copies(), { subject, headers: { ...headers } }, hub.onError));
  }
}

async function deliver(
  handler: EventHandler,
  payload: unknown,
  context: MessageContext,
  onError: BusErrorListener | undefined,
): Promise<void> {
  await null; // the publisher moves on before any subscriber runs, as over the wire
  try {
    await handler(payload, context);
  } catch (error) {
    onError?.(error, context);
  }
}

/** Stops deliveries first, as draining NATS subscriptions does, then lets running handlers finish. */
async function close(hub: Hub): Promise<void> {
  hub.state = 'closing';
  hub.handlers.clear();
  hub.subscribers.clear();
  await hub.inFlight.idle();
  hub.state = 'closed';
}

/** One promise and one timer per request (a race with an expiry promise and a `finally` made three more). */
function withTimeout<T>(work: Promise<T>, timeoutMs: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), timeoutMs);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
