/**
 * How long a caller waits for an operation's answer, by what the operation does. A dead responder is
 * noticed sooner than any of these (the bus's liveness check, docs/bus.md); a deadline bounds a responder
 * that lives but does not finish.
 * - `read`: answered from read models; asked again once when the first responder was lost, since asking
 *   twice changes nothing.
 * - `write`: appends events; asked again only when the caller gave an idempotency key.
 * - `connector`: may run a connector (spec, check, discover, a sync waited for): waits as long as a
 *   connector may take, which the deployment sets (`FERRY_REQUEST_TIMEOUT_MS`).
 */
export type DeadlineClass = 'read' | 'write' | 'connector';

/** The deadlines of reads and writes; a connector operation's comes from the settings. */
export const DEADLINE_MS = { read: 8_000, write: 8_000 } as const;

const readPath = /\/(get|list|get_by_slug|health|debug|ping|ready|configuration|scheduled|diff|as_of|read)$/;
const connectorPath =
  /\/(check_connection|discover_schema|definition_specifications\/get|definitions\/(create|update)|(sources|destinations)\/(create|update|recreate)|connections\/(sync|reset)|connector_images\/spec|runner\/command)$/;

/** The class of an operation, from its path: one rule instead of a flag on each of the table's rows. */
export const deadlineClassOf = (path: string): DeadlineClass => {
  if (connectorPath.test(path)) return 'connector';
  return readPath.test(path) ? 'read' : 'write';
};
