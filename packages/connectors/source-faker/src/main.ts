import { runConnector } from '@ferry/protocol';
import { readFaker } from './read.ts';
import { FakerConfig, spec } from './spec.ts';
import { STREAMS } from './streams.ts';

await runConnector({
  config: FakerConfig,
  spec: () => spec,
  // Nothing to reach: a valid configuration is all a check can confirm.
  check: () => ({ status: 'SUCCEEDED' }),
  discover: () => ({ streams: STREAMS.map((s) => s.stream) }),
  read: readFaker,
});
