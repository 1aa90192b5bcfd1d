export * from './port.ts';
export { createInProcessBus, type InProcessBusOptions } from './in-process.ts';
export { connectNatsBus, type NatsBusOptions } from './nats.ts';
export type { NatsAuth, NatsTls } from './nats-connect.ts';
export { type BusErrorListener, type ReplyEnvelope, wireErrorOf } from './wire.ts';
export {
  type DurableEvents,
  type DurableEventsOptions,
  openDurableEvents,
  POSITION_HEADER,
} from './jetstream.ts';
