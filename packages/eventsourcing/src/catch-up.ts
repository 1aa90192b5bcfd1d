import type { EventStore, EventWithoutMetadata, ReadAllOptions } from '@ferry/event-store';

/**
 * Events per page of a catch-up: each page is one batch and one commit; a full page's commit may land in the
 * file with the next pages' (`commitAll`'s `more`).
 */
const PAGE = 1_000;

/**
 * Folds and commits a page of events, the projections' checkpoints moving to `through`; `more` when another
 * page follows at once (the page was full), so its commit may land with the next ones (`commitAll`'s `more`).
 */
export type ApplyPage = (page: EventWithoutMetadata[], through: number, more: boolean) => Promise<void>;

/**
 * Reads the log after `from`, page after page, only the event types in `types` (the store skips the
 * others before parsing them), without metadata (no projection reads it) and with the `textFields` the
 * projections only copy left as their text where the store can, and applies each page with
 * the position it reaches: its last event when the page is full; else the head read just before it, as
 * every event up to the head was either read or of a type skipped. Resolves with the position reached once a page is not full (the end of the log, as it was
 * then), or as soon as `stopped()`.
 */
export async function catchUp(
  events: EventStore,
  from: number,
  { types, textFields }: Required<Pick<ReadAllOptions, 'types' | 'textFields'>>,
  apply: ApplyPage,
  stopped: () => boolean,
): Promise<number> {
  let position = from;
  while (!stopped()) {
    const head = await events.headPosition();
    const page = await events.readAll({
      fromPosition: position,
      limit: PAGE,
      types,
      metadata: false,
      textFields,
    });
    const last = page.at(-1)?.position ?? position;
    const full = page.length === PAGE;
    const through = full ? last : Math.max(position, head, last);
    if (through > position) await apply(page, through, full);
    position = through;
    if (!full) break;
  }
  return position;
}
