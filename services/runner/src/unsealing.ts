import type { ConnectorRuntime } from '@ferry/connector-runtime';
import type { SecretSealer } from '@ferry/secrets';

const isConfiguration = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The runner is the one place a connector's secrets are opened (ADR 0005): configurations arrive sealed,
 * on every subject, and are unsealed right before the runtime writes them into the run's private
 * configuration file, which the runtime removes when the run ends. A value no key opens fails the run.
 */
export const unsealingRuntime = (runtime: ConnectorRuntime, sealer: SecretSealer): ConnectorRuntime => ({
  describe: () => runtime.describe(),
  available: () => runtime.available(),
  run: async (invocation, signal) => {
    const { config } = invocation;
    const opened = isConfiguration(config) ? { ...invocation, config: sealer.unseal(config) } : invocation;
    return runtime.run(opened, signal);
  },
});

/**
 * The plain values of the secrets of some sealed configurations, worked out here so that none crosses the
 * bus: logs and answers are scrubbed of them. A value that no key opens yields none: the run fails before a
 * connector could print it.
 */
export const secretValuesOf = (
  sealer: SecretSealer,
  configurations: readonly (Record<string, unknown> | null | undefined)[],
): string[] =>
  configurations.flatMap((config) => {
    if (!config) return [];
    try {
      return sealer.secretValues(config);
    } catch {
      return [];
    }
  });
