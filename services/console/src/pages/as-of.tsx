import { useState } from 'preact/hooks';
import { useConsole } from '../context.ts';
import { useResource } from '../live/use-resource.ts';
import { isMissingEndpoint, Loading, NotAvailable, Problem } from '../ui/feedback.tsx';
import { scheduleText, timeText } from '../ui/format.ts';
import { Page } from '../ui/page.tsx';

/** `2026-01-02T03:04` for a datetime-local input, in the browser's time zone. */
const localInputValue = (date: Date) =>
  new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

/** The workspace's sources, destinations and connections as they were at a chosen time; read-only. */
export const AsOfPage = () => {
  const { call, workspaceId } = useConsole();
  const [draft, setDraft] = useState(() => localInputValue(new Date()));
  const [at, setAt] = useState<string | null>(null);
  const view = useResource(
    `as-of:${at}`,
    () => (at ? call('getWorkspaceAsOf', { workspaceId, at }) : Promise.resolve(null)),
    { live: false },
  );
  const show = (event: Event) => {
    event.preventDefault();
    setAt(new Date(draft).toISOString());
  };
  if (isMissingEndpoint(view.error))
    return (
      <Page title="Workspace as of a time">
        <NotAvailable what="The workspace as of a time" />
      </Page>
    );
  const data = view.data;
  return (
    <Page title="Workspace as of a time">
      <form class="filters" onSubmit={show}>
        <div class="field">
          <label for="as-of-time">As of</label>
          <input
            id="as-of-time"
            type="datetime-local"
            step={1}
            required
            value={draft}
            onInput={(e) => setDraft(e.currentTarget.value)}
          />
        </div>
        <button type="submit" class="primary">
          Show the workspace then
        </button>
      </form>
      {at && view.loading && <Loading what="the workspace as it was" />}
      <Problem error={view.error} label="The workspace could not be shown as it was" />
      {data && (
        <>
          <p role="status">
            As of {timeText(data.at)}, after event {data.position} of the log. Read-only: restore a version
            from a resource’s history.
          </p>
          <h2>Sources ({data.sources.length})</h2>
          <ul>
            {data.sources.map((s) => (
              <li key={s.sourceId}>
                <a href={`/history/${s.sourceId}`}>{s.name}</a> ({s.sourceName})
              </li>
            ))}
          </ul>
          <h2>Destinations ({data.destinations.length})</h2>
          <ul>
            {data.destinations.map((d) => (
              <li key={d.destinationId}>
                <a href={`/history/${d.destinationId}`}>{d.name}</a> ({d.destinationName})
              </li>
            ))}
          </ul>
          <h2>Connections ({data.connections.length})</h2>
          <ul>
            {data.connections.map((c) => (
              <li key={c.connectionId}>
                <a href={`/history/${c.connectionId}`}>{c.name}</a>: {c.status}, {scheduleText(c)},{' '}
                {c.syncSchema.streams.filter((s) => s.selected !== false).length} streams
              </li>
            ))}
          </ul>
        </>
      )}
    </Page>
  );
};
