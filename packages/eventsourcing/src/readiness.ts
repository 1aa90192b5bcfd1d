import type { EventStore } from '@ferry/event-store';
import type { ReadStore } from '@ferry/read-store';

/** How long a readiness probe waits for a store: a store that takes longer is not ready to serve. */
const PROBE_MS = 2_000;

const answers = async (ping: () => Promise<boolean>): Promise<boolean> => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), PROBE_MS);
  });
  return Promise.race([ping().catch(() => false), late]).finally(() => clearTimeout(timer));
};

/** Whether each of a service's stores answers now, each bounded so a hung store reads as not ready. */
export const probeStores = async (stores: { events: EventStore; reads: ReadStore }) => {
  const [eventStore, readStore] = await Promise.all([
    answers(() => stores.events.ping()),
    answers(() => stores.reads.ping()),
  ]);
  return { eventStore, readStore };
};
