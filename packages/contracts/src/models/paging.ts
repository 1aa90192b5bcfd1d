import { z } from 'zod';
import { optional } from './common.ts';

/** At most this many items a page; a request with a token and no size gets the default. */
export const PAGE_SIZE = { default: 100, max: 1000 } as const;

/**
 * The pagination extension (ADR 0013), one definition for every paged list: a request may name a page
 * size and the token of the page before; the answer then carries `nextPageToken` unless it is the last
 * page. A request with neither gets the whole list, exactly as the seed answered it.
 */
export const pageRequestFields = {
  pageSize: optional(z.number().int().min(1).max(PAGE_SIZE.max)).meta({
    description: `Extension: at most this many items (default ${PAGE_SIZE.default} when a pageToken is given, at most ${PAGE_SIZE.max}). Without pageSize and pageToken the whole list in its usual order; pages are in id order, jobs newest first (ADR 0013).`,
  }),
  pageToken: optional(z.string().min(1).max(2000)).meta({
    description: "Extension: the previous page's nextPageToken, with the same filters.",
  }),
};

export const pageResponseFields = {
  nextPageToken: z.string().optional().meta({
    description: 'Extension: present when a page was asked for and more follow; absent on the last page.',
  }),
};

/**
 * The body of a list the seed calls without one (the definition lists, api_tokens/list): still optional,
 * and no body, `null` or `{}` is the whole list.
 */
export const PageRequestBody = z.object(pageRequestFields).nullish().meta({ id: 'PageRequestBody' });
