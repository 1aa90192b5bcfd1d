import type { ConfigDeps } from './deps.ts';

const answers = async (probe: () => Promise<boolean>) => probe().catch(() => false);

export const healthHandlers = (deps: ConfigDeps) => ({
  /** Always 200: `db` is true when both the event store and the read models answer. */
  getHealthCheck: async () => {
    const [events, reads] = await Promise.all([
      answers(() => deps.events.ping()),
      answers(() => deps.reads.ping()),
    ]);
    return { body: { db: events && reads } };
  },
  getDebuggingInfo: async () => ({ body: { info: await deps.debugInfo() } }),
});
