/** Injection tokens of the providers an operations module holds; factories name them in `inject`. */
export const OPERATION_HANDLERS = Symbol('ferry.operationHandlers');
/** The service's pino logger; each message gets a child of it. */
export const LOGGER = Symbol('ferry.logger');
/** The `MetricsRegistry` the service exposes; operation durations go into it. */
export const METRICS = Symbol('ferry.metrics');
