import { DomainError } from '@ferry/contracts';

/**
 * How a caller tells a responder that works from one that died. A responder to a Ferry caller sends a
 * heartbeat every `heartbeatMs` while it works; a caller that hears nothing for `livenessMs` gives up with
 * `bus.responder_lost`, however long the operation's deadline. A `kill -9`ed replica therefore costs its
 * callers seconds, not the deadline (90 s for a connector check).
 */
export interface Liveness {
  heartbeatMs: number;
  livenessMs: number;
}

export const DEFAULT_LIVENESS: Liveness = { heartbeatMs: 1_000, livenessMs: 3_000 };

/** The transport's own headers; handlers never see them. */
export const TRANSPORT_HEADER = {
  /** On a request: the caller understands heartbeats and chunked replies (`stream`). */
  reply: 'ferry-reply',
  /** On a reply message: only a sign of life, the answer follows. */
  heartbeat: 'ferry-heartbeat',
  /** On a request too large for one message: the inbox to fetch its body from. */
  body: 'ferry-body',
  /** On the chunks of one large event: the id tying them together. */
  messageId: 'ferry-message-id',
} as const;

export function responderLost(subject: string, livenessMs: number): DomainError {
  return new DomainError({
    code: 'bus.responder_lost',
    category: 'unavailable',
    message: `The service answering ${subject} stopped responding (no sign of life for ${livenessMs} ms)`,
  });
}

export function disconnected(subject: string): DomainError {
  return new DomainError({
    code: 'bus.disconnected',
    category: 'unavailable',
    message: `The connection to NATS dropped while waiting for ${subject}`,
  });
}

export function replyTooLarge(size: number, limit: number): DomainError {
  return new DomainError({
    code: 'bus.reply_too_large',
    category: 'unavailable',
    message:
      `The answer (${size} bytes) exceeds the NATS server's max payload (${limit} bytes). ` +
      `Send the request with header ${TRANSPORT_HEADER.reply}: stream to receive it in chunks`,
  });
}

/** The server's permissions for this connection's user do not cover the subject (docs/bus.md, Security). */
export function notPermitted(action: 'publish to' | 'subscribe to', subject: string): DomainError {
  return new DomainError({
    code: 'bus.not_permitted',
    category: 'unavailable',
    message: `This NATS user may not ${action} ${subject} (the server's permissions deny it)`,
  });
}
