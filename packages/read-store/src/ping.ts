/** How long `ping` may take before it answers false (`answersWithin`). */
export const pingTimeoutMs = 2_000;

/**
 * Whether `check` succeeds within `timeoutMs`: false when it fails or is late, so that a readiness probe
 * against a store that is down (or a host that drops packets) answers instead of hanging. A late check
 * keeps running; its outcome is ignored.
 */
export async function answersWithin(
  check: () => Promise<unknown>,
  timeoutMs = pingTimeoutMs,
): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const answer = Promise.resolve()
    .then(check)
    .then(
      () => true,
      () => false,
    );
  return Promise.race([answer, late]).finally(() => clearTimeout(timer));
}
