/**
 * Subjects of the events every service publishes after appending them, for the audit subscriber and any
 * outside NATS client: `ferry.events.<aggregate>.<EventType>`, payload = the recorded event as JSON
 * (docs/bus.md). Aggregates are named by the stream category (`source-<id>` → `source`).
 */
export const EVENTS_SUBJECT_PREFIX = 'ferry.events';
export const ALL_EVENTS_SUBJECT = `${EVENTS_SUBJECT_PREFIX}.>`;

export const eventSubject = (streamName: string, eventType: string): string =>
  `${EVENTS_SUBJECT_PREFIX}.${streamCategory(streamName)}.${eventType}`;

/** `connection-1b2c…` → `connection`: everything before the first dash. */
export const streamCategory = (streamName: string): string => {
  const dash = streamName.indexOf('-');
  return dash === -1 ? streamName : streamName.slice(0, dash);
};

/** Headers carried on every bus message, so logs and events can be tied back to the HTTP request. */
export const HEADER = {
  requestId: 'ferry-request-id',
  correlationId: 'ferry-correlation-id',
  causationId: 'ferry-causation-id',
  actor: 'ferry-actor',
  idempotencyKey: 'ferry-idempotency-key',
  ifMatch: 'ferry-if-match',
  preferWait: 'ferry-prefer-wait',
} as const;
