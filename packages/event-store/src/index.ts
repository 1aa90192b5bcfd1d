export * from './port.ts';
export * from './subscription-errors.ts';
export {
  checkExpectedRevision,
  recognisedRetry,
  revisionMatches,
  type StoredEventId,
} from './append-checks.ts';
export { type PollingSource, pollingSubscription, pollingSubscriptions } from './polling-subscription.ts';
export { trackedSubscriptions } from './tracked-subscriptions.ts';
export { Wakeup } from './wakeup.ts';
