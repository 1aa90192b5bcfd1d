import { z } from 'zod';

/**
 * A field the seed does not require. Requests may omit it or send `null` (Airbyte's web app sends
 * `schedule: null`, `selected: null`); responses always carry it, `null` when unset (api-facts.md).
 */
export const optional = <T extends z.ZodType>(schema: T) => schema.nullable().optional();

/** Ids are uuids on the wire. `guid` accepts any 8-4-4-4-12 hex form, as Airbyte's Java server did. */
export const uuid = (id: string) => z.guid().meta({ id });

/** Epoch seconds (API times) and other int64 values. */
export const int64 = () => z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** A connector configuration or specification: any JSON object, checked later against the connector's spec. */
export const jsonObject = (id: string, description: string) =>
  z.record(z.string(), z.unknown()).meta({ id, description });

/** `{ [key]: value }` with the key's literal type kept, for models whose field names carry their kind. */
export const keyed = <K extends string, V>(key: K, value: V) => ({ [key]: value }) as Record<K, V>;

export type Kind = 'source' | 'destination';
export const capitalized = (kind: Kind) => (kind === 'source' ? 'Source' : 'Destination');
