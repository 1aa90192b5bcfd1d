import type { AirbyteStateMessage } from './messages.ts';

/**
 * How Ferry stores a connection's state when its connectors speak today's protocol: the committed STATE
 * messages themselves (one per stream, or one GLOBAL), under this key. A stored state without it is the
 * 2020 form, the `data` of the last (LEGACY) state, passed back to the source as it was.
 */
export const STATE_MESSAGES = '_ferry_state_messages';

/** The messages of a stored per-stream state, or null for a 2020 state. */
export const storedStateMessages = (stored: Record<string, unknown> | null): AirbyteStateMessage[] | null => {
  const messages = stored?.[STATE_MESSAGES];
  return Array.isArray(messages) ? (messages as AirbyteStateMessage[]) : null;
};
