import type { DurableEvents, DurableEventsOptions } from './jetstream.ts';
import type { NatsBusOptions } from './nats.ts';
import type { Bus } from './port.ts';

export * from './port.ts';
export { createInProcessBus, type InProcessBusOptions } from './in-process.ts';
export type { NatsBusOptions } from './nats.ts';
export type { NatsAuth, NatsTls } from './nats-connect.ts';
export {
  type BusErrorListener,
  JsonText,
  JsonTextStream,
  jsonValueOf,
  type ReplyEnvelope,
  wholeText,
  wireErrorOf,
} from './wire.ts';
export type { DurableEvents, DurableEventsOptions } from './jetstream.ts';

// The NATS client (some 60 modules) loads when a process connects to NATS, not at start: the embedded mode,
// on the in-process bus, never needs it.

/** The bus over NATS (nats.ts). */
export const connectNatsBus = async (options: NatsBusOptions): Promise<Bus> =>
  (await import('./nats.ts')).connectNatsBus(options);

/** The event log on JetStream (jetstream.ts). */
export const openDurableEvents = async (options: DurableEventsOptions): Promise<DurableEvents> =>
  (await import('./jetstream.ts')).openDurableEvents(options);
