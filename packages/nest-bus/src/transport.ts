import type { Bus, MessageContext, Subscription } from '@ferry/bus';
import { allOperations, type Operation, type ServiceName, subjectOf } from '@ferry/contracts';
import { operationsOf, queueOf } from '@ferry/rpc';
import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import { BusRpcContext } from './context.ts';
import { createInFlight } from './in-flight.ts';

export interface BusTransportOptions {
  bus: Bus;
  /** Whose operations this answers: every one the table gives it, in queue group `ferry-<service>`. */
  service: ServiceName;
}

const operationBySubject = new Map<string, Operation>(allOperations.map((o) => [subjectOf(o), o]));

/**
 * A Nest transport strategy on Ferry's `Bus` port, so the wire stays the bus's own: a request is the bare
 * JSON body on the operation's subject, the reply the `{ok, value | error}` envelope the bus transports
 * write (`answer` in @ferry/bus), readable by any NATS client. Nest contributes the handler pipeline
 * (the controller built from the table, the exception filter) between the two; the subjects come from the handlers Nest found,
 * which `operationsController` derives from the operation table.
 *
 * `close()` drains: it stops taking messages, waits for the handlers still running (their replies are
 * sent), then lets Nest run the modules' shutdown hooks. The bus itself belongs to the caller.
 */
export class BusTransport extends Server implements CustomTransportStrategy {
  readonly #bus: Bus;
  readonly #service: ServiceName;
  readonly #inFlight = createInFlight();
  #subscriptions: Subscription[] = [];
  #closing: Promise<void> | undefined;

  constructor(options: BusTransportOptions) {
    super();
    this.#bus = options.bus;
    this.#service = options.service;
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      this.#refuseIncompleteWiring();
      for (const [subject, handler] of this.messageHandlers) {
        const operation = operationBySubject.get(subject)!;
        const subscription = await this.#bus.handle(
          subject,
          (payload, message) => this.#inFlight.track(this.#run(handler, operation, payload, message)),
          { queue: queueOf(this.#service) },
        );
        this.#subscriptions.push(subscription);
      }
      this._status$.next('listening');
      callback();
    } catch (error) {
      await this.#unsubscribe();
      callback(error);
    }
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#unsubscribe();
      await this.#inFlight.idle();
      this._status$.next('closed');
    })();
    return this.#closing;
  }

  /** No transport events: the bus reports its failures to its own `onError`. */
  on(): never {
    throw new Error('BusTransport has no events: give the bus an onError listener instead');
  }

  unwrap<T>(): T {
    return this.#bus as T;
  }

  /** Runs Nest's pipeline for one message; what it throws, the bus's `answer` turns into the envelope. */
  async #run(handler: MessageHandler, operation: Operation, payload: unknown, message: MessageContext) {
    const result: unknown = await handler(payload, new BusRpcContext(message, operation));
    return isObservable(result) ? lastValueFrom(result, { defaultValue: undefined }) : result;
  }

  /** Every operation of the service has a handler, and every handler is an operation of the service. */
  #refuseIncompleteWiring(): void {
    const owned = operationsOf(this.#service).map(subjectOf);
    const missing = owned.filter((subject) => !this.messageHandlers.has(subject));
    if (missing.length > 0)
      throw new Error(`${this.#service} service lacks handlers for ${missing.join(', ')}`);
    const foreign = [...this.messageHandlers].filter(([subject, handler]) => {
      return handler.isEventHandler || !owned.includes(subject);
    });
    if (foreign.length > 0) {
      const names = foreign.map(([subject]) => subject).join(', ');
      throw new Error(`${this.#service} service: ${names} are not operations of the service`);
    }
  }

  async #unsubscribe(): Promise<void> {
    const subscriptions = this.#subscriptions;
    this.#subscriptions = [];
    await Promise.all(subscriptions.map((s) => s.unsubscribe()));
  }
}
