import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { messageOf } from '../api/client.ts';
import type { Request, Response } from '../api/operations.ts';
import { useConsole } from '../context.ts';
import { describePatch } from '../history/patch.ts';
import { useResource } from '../live/use-resource.ts';
import { isMissingEndpoint, Loading, NotAvailable, Problem } from '../ui/feedback.tsx';
import { actorText, timeText } from '../ui/format.ts';
import { Page } from '../ui/page.tsx';

type Entry = Response<'listAuditEntries'>['entries'][number];
type Filters = { resourceId: string; actor: string; types: string; from: string; to: string };

const EMPTY: Filters = { resourceId: '', actor: '', types: '', from: '', to: '' };
const PAGE_SIZE = 50;

/** The request for a set of filters: blanks left out, local times as ISO-8601, types split on commas. */
export const auditRequest = (filters: Filters, workspaceId: string): Request<'listAuditEntries'> => {
  const types = filters.types
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  return {
    workspaceId,
    pageSize: PAGE_SIZE,
    ...(filters.resourceId.trim() ? { resourceId: filters.resourceId.trim() } : {}),
    ...(filters.actor.trim() ? { actor: filters.actor.trim() } : {}),
    ...(types.length ? { types } : {}),
    ...(filters.from ? { from: new Date(filters.from).toISOString() } : {}),
    ...(filters.to ? { to: new Date(filters.to).toISOString() } : {}),
  };
};

const FilterField = ({
  id,
  label,
  value,
  type = 'text',
  onInput,
}: {
  id: keyof Filters;
  label: string;
  value: string;
  type?: 'text' | 'datetime-local';
  onInput(v: string): void;
}) => (
  <div class="field">
    <label for={`audit-${id}`}>{label}</label>
    {type === 'text' ? (
      <input id={`audit-${id}`} type="text" value={value} onInput={(e) => onInput(e.currentTarget.value)} />
    ) : (
      <input
        id={`audit-${id}`}
        type="datetime-local"
        step={1}
        value={value}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
    )}
  </div>
);

/** Who changed what and when, newest first, filtered; new entries appear as they are made. */
export const AuditPage = () => {
  const { call, workspaceId } = useConsole();
  // `/audit?resourceId=<id>` (the history page links it) starts filtered to that resource.
  const { query } = useLocation();
  const initial = { ...EMPTY, resourceId: query.resourceId ?? '' };
  const [draft, setDraft] = useState<Filters>(initial);
  const [filters, setFilters] = useState<Filters>(initial);
  const [older, setOlder] = useState<{ entries: Entry[]; next?: string | undefined }>({ entries: [] });
  const [moreError, setMoreError] = useState<string | null>(null);
  const first = useResource(`audit:${JSON.stringify(filters)}`, () =>
    call('listAuditEntries', auditRequest(filters, workspaceId)),
  );
  const set = (key: keyof Filters) => (value: string) => setDraft((d) => ({ ...d, [key]: value }));
  const apply = (event: Event) => {
    event.preventDefault();
    setOlder({ entries: [] });
    setFilters(draft);
  };
  const next = older.entries.length ? older.next : first.data?.nextPageToken;
  const loadOlder = async () => {
    setMoreError(null);
    try {
      const page = await call('listAuditEntries', {
        ...auditRequest(filters, workspaceId),
        pageToken: next,
      });
      setOlder((o) => ({ entries: [...o.entries, ...page.entries], next: page.nextPageToken }));
    } catch (error) {
      setMoreError(messageOf(error));
    }
  };
  if (isMissingEndpoint(first.error))
    return (
      <Page title="Audit trail">
        <NotAvailable what="The audit trail" />
      </Page>
    );
  const entries = [...(first.data?.entries ?? []), ...older.entries];
  return (
    <Page title="Audit trail">
      <form class="filters" onSubmit={apply} aria-label="Filters">
        <FilterField
          id="resourceId"
          label="Resource id"
          value={draft.resourceId}
          onInput={set('resourceId')}
        />
        <FilterField id="actor" label="Who (actor)" value={draft.actor} onInput={set('actor')} />
        <FilterField
          id="types"
          label="Event types (comma-separated)"
          value={draft.types}
          onInput={set('types')}
        />
        <FilterField id="from" label="From" type="datetime-local" value={draft.from} onInput={set('from')} />
        <FilterField id="to" label="To" type="datetime-local" value={draft.to} onInput={set('to')} />
        <button type="submit" class="primary">
          Apply filters
        </button>
      </form>
      <Problem error={first.error} label="The audit trail could not be loaded" />
      {first.loading && <Loading what="the audit trail" />}
      {first.data && entries.length === 0 && <p>No entries match.</p>}
      {entries.length > 0 && (
        <table>
          <caption class="visually-hidden">Audit entries, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Event</th>
              <th scope="col">Resource</th>
              <th scope="col">What changed</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id}>
                <td>{timeText(entry.at)}</td>
                <td>{actorText(entry.actor)}</td>
                <td>{entry.type}</td>
                <td>
                  <a
                    href={`/history/${entry.resourceId}`}
                    aria-label={`History of ${entry.resourceType} ${entry.resourceId}`}
                  >
                    {entry.resourceType.replace('_', ' ')} {entry.resourceId.slice(0, 8)}
                  </a>
                </td>
                <td>{describePatch(entry.changes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next && (
        <button type="button" class="secondary" onClick={loadOlder}>
          Older entries
        </button>
      )}
      <Problem error={moreError} label="Older entries could not be loaded" />
    </Page>
  );
};
