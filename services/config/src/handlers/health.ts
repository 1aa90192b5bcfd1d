import { probeStores } from '@ferry/eventsourcing';
import type { ConfigDeps } from './deps.ts';

export const healthHandlers = (deps: ConfigDeps) => ({
  /** Always 200: `db` is true when both the event store and the read models answer. */
  getHealthCheck: async () => {
    const { eventStore, readStore } = await probeStores(deps);
    return { body: { db: eventStore && readStore } };
  },
  checkConfigReadiness: async () => ({ body: await probeStores(deps) }),
  getDebuggingInfo: async () => ({ body: { info: await deps.debugInfo() } }),
});
