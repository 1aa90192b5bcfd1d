import { ConfiguredAirbyteCatalog } from '@ferry/protocol';

export type CatalogResult = { ok: true; catalog: ConfiguredAirbyteCatalog } | { ok: false; reason: string };

/**
 * The catalog both connectors get. A sync passes the request's catalog through as it is (the jobs service
 * built it from the selected streams); a reset rewrites every stream as full refresh / overwrite, which with
 * no records leaves each destination stream empty.
 */
export const configuredCatalog = (raw: unknown, kind: 'sync' | 'reset'): CatalogResult => {
  const parsed = ConfiguredAirbyteCatalog.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: `invalid configured catalog: ${parsed.error.message}` };
  if (kind === 'sync') return { ok: true, catalog: parsed.data };
  const streams = parsed.data.streams.map((s) => ({
    ...s,
    sync_mode: 'full_refresh' as const,
    destination_sync_mode: 'overwrite' as const,
  }));
  return { ok: true, catalog: { ...parsed.data, streams } };
};

/** The stream names whose records reach the destination: those of the configured catalog only. */
export const selectedStreams = (catalog: ConfiguredAirbyteCatalog): ReadonlySet<string> =>
  new Set(catalog.streams.map((s) => s.stream.name));
