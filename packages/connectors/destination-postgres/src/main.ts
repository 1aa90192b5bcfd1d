import { runConnector } from '@ferry/protocol';
import { checkPostgres } from './check.ts';
import { DestinationPostgresConfig, spec } from './spec.ts';
import { writePostgres } from './write.ts';

await runConnector({
  config: DestinationPostgresConfig,
  spec: () => spec,
  check: checkPostgres,
  discover: () => {
    throw new Error('discover is not supported by a destination');
  },
  write: writePostgres,
});
