import { z } from 'zod';
import { DataType, DestinationSyncMode, SyncMode } from '../enums.ts';
import { optional } from './common.ts';

export const SourceSchemaField = z
  .object({
    name: z.string(),
    cleanedName: optional(z.string()),
    dataType: DataType,
    // Airbyte's web app sends `selected: null` on create: treated as selected.
    selected: z.boolean().nullable(),
  })
  .meta({ id: 'SourceSchemaField' });

export const SourceSchemaStream = z
  .object({
    name: z.string(),
    cleanedName: optional(z.string()),
    fields: z.array(SourceSchemaField),
    supportedSyncModes: optional(z.array(SyncMode)),
    sourceDefinedCursor: optional(z.boolean()),
    defaultCursorField: optional(z.array(z.string())),
    selected: optional(z.boolean()),
    syncMode: optional(SyncMode),
    cursorField: optional(z.array(z.string())),
    // Extensions (ADR 0004), with the names later Airbyte versions gave them.
    namespace: optional(z.string()),
    sourceDefinedPrimaryKey: optional(z.array(z.array(z.string()))),
    destinationSyncMode: optional(DestinationSyncMode),
    primaryKey: optional(z.array(z.array(z.string()))),
  })
  .meta({ id: 'SourceSchemaStream' });

export const SourceSchema = z
  .object({ streams: z.array(SourceSchemaStream) })
  .meta({ id: 'SourceSchema', description: 'describes the available schema.' });

export const SourceDiscoverSchemaRead = z
  .object({ schema: SourceSchema })
  .meta({ id: 'SourceDiscoverSchemaRead' });

export type SourceSchemaField = z.infer<typeof SourceSchemaField>;
export type SourceSchemaStream = z.infer<typeof SourceSchemaStream>;
export type SourceSchema = z.infer<typeof SourceSchema>;
