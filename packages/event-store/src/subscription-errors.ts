/**
 * Where an adapter sends the failure that ended a subscription. Without `onError` it is thrown uncaught:
 * a subscription that died silently would leave its read model stale forever.
 */
export function reportSubscriptionError(
  error: unknown,
  onError: ((error: unknown) => void) | undefined,
): void {
  if (onError) onError(error);
  else
    queueMicrotask(() => {
      throw error;
    });
}
