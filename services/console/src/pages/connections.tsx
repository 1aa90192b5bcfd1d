import { useConsole } from '../context.ts';
import { useResource } from '../live/use-resource.ts';
import { ActionButton } from '../ui/action-button.tsx';
import { Loading, Problem } from '../ui/feedback.tsx';
import { scheduleText, timeText } from '../ui/format.ts';
import { Page } from '../ui/page.tsx';
import { Status } from '../ui/status.tsx';

/** Every connection of the workspace, live: a sync started anywhere shows as syncing within a second. */
export const ConnectionsPage = () => {
  const { call, workspaceId } = useConsole();
  const connections = useResource(`connections:${workspaceId}`, () =>
    call('webBackendListConnectionsForWorkspace', { workspaceId }).then((r) => r.connections),
  );
  return (
    <Page
      title="Connections"
      actions={
        <a class="button primary" href="/connections/new">
          New connection
        </a>
      }
    >
      <Problem error={connections.error} label="The connections could not be loaded" />
      {connections.loading && <Loading what="connections" />}
      {connections.data?.length === 0 && (
        <p>
          No connections yet. Create a <a href="/sources/new">source</a> and a{' '}
          <a href="/destinations/new">destination</a>, then a <a href="/connections/new">connection</a>{' '}
          between them.
        </p>
      )}
      {connections.data && connections.data.length > 0 && (
        <table>
          <caption class="visually-hidden">Connections</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Source → destination</th>
              <th scope="col">Schedule</th>
              <th scope="col">Status</th>
              <th scope="col">Last sync</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {connections.data.map((connection) => (
              <tr key={connection.connectionId}>
                <th scope="row">
                  <a href={`/connections/${connection.connectionId}`}>{connection.name}</a>
                </th>
                <td>
                  <a href={`/sources/${connection.sourceId}`}>{connection.source.name}</a> →{' '}
                  <a href={`/destinations/${connection.destinationId}`}>{connection.destination.name}</a>
                </td>
                <td>{scheduleText(connection)}</td>
                <td>
                  <Status value={connection.isSyncing ? 'syncing' : connection.status} />
                </td>
                <td>{timeText(connection.lastSync)}</td>
                <td>
                  <ActionButton
                    label="Sync now"
                    name={`Sync now: ${connection.name}`}
                    busyLabel="Starting…"
                    action={() => call('syncConnection', { connectionId: connection.connectionId })}
                    onDone={connections.reload}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
};
