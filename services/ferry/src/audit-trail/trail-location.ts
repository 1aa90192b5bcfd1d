import { extname } from 'node:path';
import type { Settings } from '../settings.ts';
import { storeLocations } from '../stores.ts';
import type { TrailFiles } from './trail-wire.ts';

/** The trail's own file: the read models' with this before its extension (read-models.audit-trail.sqlite). */
const TRAIL_SUFFIX = '.audit-trail';

/** `file` with `suffix` before its extension. */
const suffixed = (file: string, suffix: string) => {
  const extension = extname(file);
  return `${file.slice(0, file.length - extension.length)}${suffix}${extension}`;
};

/**
 * Where the audit trail runs on a thread of its own: when both stores are SQLite files (embedded), the
 * event log and a file of the trail's own beside the read models' (ADR 0043); undefined otherwise, where the trail
 * runs in its service with the service's stores (a server does the writing there, not this process).
 */
export const trailFiles = (settings: Settings): TrailFiles | undefined => {
  const where = storeLocations(settings);
  if (where.events.kind !== 'sqlite' || where.reads.kind !== 'sqlite') return undefined;
  return { events: where.events.file, trail: suffixed(where.reads.file, TRAIL_SUFFIX) };
};
