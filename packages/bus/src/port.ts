/**
 * The bus: request/reply for commands and queries, publish/subscribe for events. Two transports implement it
 * (in-process for embedded mode, NATS for distributed mode) and both pass `contract-suite.ts`.
 *
 * Guarantees every transport keeps:
 * - `request` resolves with the handler's return value, or rejects with a `DomainError`: the handler's own
 *   (code, category, message, id, validationErrors survive the trip), `bus.no_responders` (category
 *   `unavailable`) when nobody handles the subject, `bus.timeout` (category `timeout`) when the answer is late.
 *   It never hangs past `timeoutMs`.
 * - Handlers registered with the same `queue` share the load: each request reaches exactly one of them.
 * - `subscribe` without a queue sees every event published after it subscribed; with a queue, one member of
 *   the group sees each. Subject wildcards follow NATS (`*` one token, `>` the rest).
 * - Payloads are plain JSON; headers carry request, correlation and causation ids.
 * - A handler may answer with a `JsonText` (its value already serialised): a NATS caller receives the parsed
 *   value, an in-process caller that same `JsonText`; `jsonValueOf` reads either.
 */
export type Headers = Readonly<Record<string, string>>;

export interface RequestOptions {
  timeoutMs?: number;
  headers?: Headers;
}

export interface MessageContext {
  subject: string;
  headers: Headers;
}

export type RequestHandler = (payload: unknown, context: MessageContext) => Promise<unknown> | unknown;
export type EventHandler = (payload: unknown, context: MessageContext) => Promise<void> | void;

export interface Subscription {
  unsubscribe(): Promise<void>;
}

export interface Bus {
  request(subject: string, payload: unknown, options?: RequestOptions): Promise<unknown>;
  handle(subject: string, handler: RequestHandler, options?: { queue?: string }): Promise<Subscription>;
  publish(subject: string, payload: unknown, headers?: Headers): Promise<void>;
  subscribe(subject: string, handler: EventHandler, options?: { queue?: string }): Promise<Subscription>;
  /** Lets in-flight handlers finish, then closes. */
  close(): Promise<void>;
  /** A short description for `/v1/debug`, e.g. `nats 2.10.4 at nats://127.0.0.1:4222`. */
  describe(): string;
  /**
   * Whether the transport carries messages now, for health probes: over NATS the server answers a PING on
   * this connection within `BUS_PING_TIMEOUT_MS` (no subject, so no permission is needed); in-process, until
   * closed. Never throws.
   */
  ping(): Promise<boolean>;
}

export const BUS_PING_TIMEOUT_MS = 1_000;

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
