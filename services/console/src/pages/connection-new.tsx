import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { messageOf } from '../api/client.ts';
import type { Response } from '../api/operations.ts';
import { ScheduleFields } from '../connection/schedule-fields.tsx';
import { type ScheduleDraft, scheduleDraftOf, schedulingOf } from '../connection/schedule.ts';
import { useConsole } from '../context.ts';
import { useResource } from '../live/use-resource.ts';
import { Loading, Problem } from '../ui/feedback.tsx';
import { Page } from '../ui/page.tsx';

type Schema = Response<'discoverSchemaForSource'>['schema'];

/** Every discovered stream selected, full refresh where the source allows it, else its first mode. */
export const selectAll = (schema: Schema): Schema => ({
  streams: schema.streams.map((stream) => ({
    ...stream,
    selected: true,
    syncMode:
      stream.supportedSyncModes?.includes('full_refresh') === false
        ? stream.supportedSyncModes[0]
        : 'full_refresh',
  })),
});

/** A connection from a source to a destination: the source's streams are discovered, then all selected. */
export const ConnectionNewPage = () => {
  const { call, workspaceId, session } = useConsole();
  const { route } = useLocation();
  const actors = useResource(
    `actors:${workspaceId}`,
    async () => {
      const [sources, destinations] = await Promise.all([
        call('listSourcesForWorkspace', { workspaceId }),
        call('listDestinationsForWorkspace', { workspaceId }),
      ]);
      return { sources: sources.sources, destinations: destinations.destinations };
    },
    { live: false },
  );
  const [sourceId, setSourceId] = useState('');
  const [destinationId, setDestinationId] = useState('');
  const [name, setName] = useState('');
  const [schedule, setSchedule] = useState<ScheduleDraft>(scheduleDraftOf());
  const [step, setStep] = useState<string | null>(null);
  const [error, setError] = useState<Error | string | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      setStep('Discovering the source’s streams…');
      const { schema } = await call('discoverSchemaForSource', { sourceId });
      setStep('Creating the connection…');
      const created = await call('createConnection', {
        ...(name.trim() ? { name: name.trim() } : {}),
        sourceId,
        destinationId,
        syncMode: 'full_refresh',
        status: 'active',
        syncSchema: selectAll(schema),
        ...schedulingOf(schedule),
      });
      route(`/connections/${created.connectionId}`);
    } catch (failure) {
      setError(failure instanceof Error ? failure : messageOf(failure));
      setStep(null);
    }
  };

  const { sources = [], destinations = [] } = actors.data ?? {};
  return (
    <Page title="New connection">
      <Problem error={actors.error} label="Sources and destinations could not be loaded" />
      {actors.loading && <Loading what="sources and destinations" />}
      {actors.data && (
        <form onSubmit={submit} class="form">
          <div class="field">
            <label for="connection-source">Source</label>
            <select
              id="connection-source"
              required
              value={sourceId}
              onChange={(e) => setSourceId(e.currentTarget.value)}
            >
              <option value="">Choose a source</option>
              {sources.map((s) => (
                <option key={s.sourceId} value={s.sourceId}>
                  {s.name} ({s.sourceName})
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="connection-destination">Destination</label>
            <select
              id="connection-destination"
              required
              value={destinationId}
              onChange={(e) => setDestinationId(e.currentTarget.value)}
            >
              <option value="">Choose a destination</option>
              {destinations.map((d) => (
                <option key={d.destinationId} value={d.destinationId}>
                  {d.name} ({d.destinationName})
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="connection-name">Name</label>
            <input
              id="connection-name"
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
              aria-describedby="connection-name-help"
            />
            <small class="hint" id="connection-name-help">
              Optional: without one, Ferry names it after the source and the destination.
            </small>
          </div>
          <ScheduleFields value={schedule} onChange={setSchedule} />
          <Problem error={error} label="The connection was not created" />
          {step && <p role="status">{step}</p>}
          <button type="submit" class="primary" disabled={!!step || session.role === 'read'}>
            Create connection
          </button>
          {session.role === 'read' && <small class="hint"> needs the admin role</small>}
        </form>
      )}
    </Page>
  );
};
