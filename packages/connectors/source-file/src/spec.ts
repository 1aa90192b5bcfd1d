import type { ConnectorSpecification } from '@ferry/protocol';
import { z } from 'zod';

export const FileConfig = z.object({
  format: z.enum(['csv', 'jsonl']),
  path: z.string().min(1),
  stream_name: z.string().min(1),
});
export type FileConfig = z.infer<typeof FileConfig>;

export const spec: ConnectorSpecification = {
  documentationUrl: 'https://docs.airbyte.io/integrations/sources/file',
  supportsIncremental: false,
  connectionSpecification: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'File Source Spec',
    type: 'object',
    required: ['format', 'path', 'stream_name'],
    additionalProperties: false,
    properties: {
      format: {
        title: 'File Format',
        description: 'CSV with a header row, or JSON Lines (one object per line).',
        type: 'string',
        enum: ['csv', 'jsonl'],
        default: 'csv',
      },
      path: {
        title: 'Path',
        description:
          "Under /local (the machine's LOCAL_ROOT, /tmp/airbyte_local by default), either as /local/... or relative to it.",
        type: 'string',
        examples: ['/local/input/users.csv', 'input/users.jsonl'],
      },
      stream_name: {
        title: 'Stream Name',
        description: 'Name of the one stream this file becomes.',
        type: 'string',
        examples: ['users'],
      },
    },
  },
};
