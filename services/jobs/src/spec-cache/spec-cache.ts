import { createHash } from 'node:crypto';
import type { Decider } from '@ferry/eventsourcing';

/**
 * The spec an image answered, kept per `repository:tag`: a definition moved to a new tag finds no entry
 * and asks its image again, which is how an update drops the cached spec.
 */
export interface SpecCached {
  type: 'SpecCached';
  data: {
    image: string;
    connectionSpecification: Record<string, unknown>;
    documentationUrl: string | null;
    jobId: number;
  };
}
type CacheSpec = { type: 'CacheSpec'; data: SpecCached['data'] };

export const specStream = (image: string) =>
  `connectorspec-${createHash('sha256').update(image).digest('hex').slice(0, 32)}`;

export const specCacheDecider: Decider<CacheSpec, { cached: boolean }, SpecCached> = {
  initialState: { cached: false },
  decide: (command, state) => (state.cached ? [] : [{ type: 'SpecCached', data: command.data }]),
  evolve: () => ({ cached: true }),
};
