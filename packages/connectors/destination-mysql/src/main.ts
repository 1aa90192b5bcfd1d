import { runConnector } from '@ferry/protocol';
import { checkMySql } from './check.ts';
import { DestinationMySqlConfig, spec } from './spec.ts';
import { writeMySql } from './write.ts';

await runConnector({
  config: DestinationMySqlConfig,
  spec: () => spec,
  check: checkMySql,
  discover: () => {
    throw new Error('discover is not supported by a destination');
  },
  write: writeMySql,
});
