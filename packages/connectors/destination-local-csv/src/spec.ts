import { localDestinationSpec } from '@ferry/local-files';

export const spec = localDestinationSpec(
  'Local CSV Destination Spec',
  'https://docs.airbyte.io/integrations/destinations/local-csv',
  'CSV files named _airbyte_raw_<stream>.csv',
);
