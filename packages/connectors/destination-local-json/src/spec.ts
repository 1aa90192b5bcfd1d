import { localDestinationSpec } from '@ferry/local-files';

export const spec = localDestinationSpec(
  'Local JSON Destination Spec',
  'https://docs.airbyte.io/integrations/destinations/local-json',
  'JSON Lines files named _airbyte_raw_<stream>.jsonl',
);
