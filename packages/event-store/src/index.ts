export * from './port.ts';
export * from './subscription-errors.ts';
export { type PollingSource, pollingSubscription } from './polling-subscription.ts';
export { Wakeup } from './wakeup.ts';
