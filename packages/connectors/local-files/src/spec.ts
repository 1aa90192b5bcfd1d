import type { ConnectorSpecification } from '@ferry/protocol';

/** The spec both local destinations share; only the title and documentation differ. */
export function localDestinationSpec(
  title: string,
  documentationUrl: string,
  what: string,
): ConnectorSpecification {
  return {
    documentationUrl,
    supportsIncremental: true,
    supported_destination_sync_modes: ['overwrite', 'append'],
    connectionSpecification: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      title,
      type: 'object',
      required: ['destination_path'],
      additionalProperties: false,
      properties: {
        destination_path: {
          title: 'Destination Path',
          description: `Path under /local (the machine's LOCAL_ROOT, /tmp/airbyte_local by default) where ${what} are written.`,
          type: 'string',
          pattern: '^/local(/.*)?$',
          examples: ['/local'],
        },
      },
    },
  };
}
