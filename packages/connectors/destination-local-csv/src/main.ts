import { csvFormat, localFilesDestination } from '@ferry/local-files';
import { runConnector } from '@ferry/protocol';
import { spec } from './spec.ts';

await runConnector(localFilesDestination(csvFormat, spec));
