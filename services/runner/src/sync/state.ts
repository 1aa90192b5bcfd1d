import { type AirbyteStateMessage, STATE_MESSAGES, storedStateMessages } from '@ferry/protocol';

type Stored = Record<string, unknown>;

const keyOf = (m: AirbyteStateMessage) => {
  if (m.type === 'GLOBAL') return 'global';
  const d = m.stream?.stream_descriptor;
  return `stream:${d?.namespace ?? ''}:${d?.name ?? ''}`;
};

const isPerStream = (m: AirbyteStateMessage) => m.type === 'STREAM' || m.type === 'GLOBAL';

/** What the source's `--state` file holds: today's list of state messages, or the 2020 `data`. */
export const stateInput = (stored: Stored | null): unknown =>
  storedStateMessages(stored) ?? stored ?? undefined;

/**
 * One side's states as an attempt sees them. Per-stream states are kept per stream (a GLOBAL one stands
 * for all): a stream's entry changes only when a state of that stream arrives, so a stream that fails
 * leaves the others' entries as they were last committed.
 */
export function stateLedger(start: Stored | null) {
  const perStream = new Map<string, AirbyteStateMessage>();
  for (const m of storedStateMessages(start) ?? []) perStream.set(keyOf(m), m);
  let legacy: Stored | null = null;
  let seen = false;
  return {
    add(m: AirbyteStateMessage): void {
      seen = true;
      if (isPerStream(m)) perStream.set(keyOf(m), m);
      else if (m.data) legacy = m.data;
    },
    /** Whether any state arrived in this attempt. */
    get seen() {
      return seen;
    },
    /** Whether the states are today's (per stream or global), which may be kept from a failed attempt. */
    get perStream() {
      return perStream.size > 0;
    },
    stored(): Stored | null {
      if (perStream.size > 0) return { [STATE_MESSAGES]: [...perStream.values()] };
      return legacy;
    },
  };
}
export type StateLedger = ReturnType<typeof stateLedger>;
