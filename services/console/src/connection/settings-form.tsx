import { useEffect, useState } from 'preact/hooks';
import type { Response } from '../api/operations.ts';
import { useConsole } from '../context.ts';
import { ActionButton } from '../ui/action-button.tsx';
import { ScheduleFields } from './schedule-fields.tsx';
import { type ScheduleDraft, scheduleDraftOf, schedulingOf } from './schedule.ts';

type Connection = Response<'webBackendGetConnection'>;
type Stream = Connection['syncSchema']['streams'][number];
type Status = 'active' | 'inactive';

/** The modes a stream offers; a catalog that lists none (older clients send `[]`) offers both. */
const syncModesOf = (stream: Stream) => {
  const modes = stream.supportedSyncModes?.length
    ? stream.supportedSyncModes
    : ['full_refresh', 'incremental'];
  return stream.syncMode && !modes.includes(stream.syncMode) ? [...modes, stream.syncMode] : modes;
};

/**
 * Status, schedule and the streams to sync, saved together with connections/update. The form keeps what
 * was typed while the connection reloads live; a change made elsewhere replaces it only once saved here.
 */
export const ConnectionSettings = ({ connection, onSaved }: { connection: Connection; onSaved(): void }) => {
  const { call } = useConsole();
  const [status, setStatus] = useState<Status>(connection.status === 'inactive' ? 'inactive' : 'active');
  const [schedule, setSchedule] = useState<ScheduleDraft>(() => scheduleDraftOf(connection));
  const [streams, setStreams] = useState<Stream[]>(connection.syncSchema.streams);
  const [saved, setSaved] = useState(false);
  // A connection restored or changed elsewhere: start from what it is now.
  useEffect(() => {
    setStatus(connection.status === 'inactive' ? 'inactive' : 'active');
    setSchedule(scheduleDraftOf(connection));
    setStreams(connection.syncSchema.streams);
  }, [
    connection.connectionId,
    JSON.stringify([
      connection.scheduleType,
      connection.scheduleData,
      connection.schedule,
      connection.status,
      connection.syncSchema,
    ]),
  ]);

  // "Saved." stands until the next edit.
  const edited =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      setSaved(false);
      set(value);
    };
  const toggle = (index: number, patch: Partial<Stream>) =>
    edited(setStreams)(streams.map((stream, i) => (i === index ? { ...stream, ...patch } : stream)));
  const save = () =>
    call('updateConnection', {
      connectionId: connection.connectionId,
      status,
      syncSchema: { streams },
      ...schedulingOf(schedule),
    });

  return (
    <form class="form" onSubmit={(e) => e.preventDefault()} aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <div class="field">
        <label for="connection-status">Status</label>
        <select
          id="connection-status"
          value={status}
          onChange={(e) => edited(setStatus)(e.currentTarget.value as Status)}
        >
          <option value="active">active: syncs on its schedule</option>
          <option value="inactive">inactive: no scheduled syncs</option>
        </select>
      </div>
      <ScheduleFields value={schedule} onChange={edited(setSchedule)} />
      <table>
        <caption>Streams</caption>
        <thead>
          <tr>
            <th scope="col">Sync</th>
            <th scope="col">Stream</th>
            <th scope="col">Fields</th>
            <th scope="col">Sync mode</th>
          </tr>
        </thead>
        <tbody>
          {streams.map((stream, index) => (
            <tr key={`${stream.namespace ?? ''}.${stream.name}`}>
              <td>
                <input
                  type="checkbox"
                  aria-label={`Sync stream ${stream.name}`}
                  checked={stream.selected !== false}
                  onChange={(e) => toggle(index, { selected: e.currentTarget.checked })}
                />
              </td>
              <th scope="row">{stream.name}</th>
              <td>{stream.fields.map((f) => f.name).join(', ')}</td>
              <td>
                <select
                  aria-label={`Sync mode of ${stream.name}`}
                  value={stream.syncMode ?? 'full_refresh'}
                  onChange={(e) => toggle(index, { syncMode: e.currentTarget.value as Stream['syncMode'] })}
                >
                  {syncModesOf(stream).map((mode) => (
                    <option key={mode} value={mode}>
                      {mode.replace('_', ' ')}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ActionButton
        label="Save settings"
        busyLabel="Saving…"
        kind="primary"
        action={save}
        onDone={() => {
          setSaved(true);
          onSaved();
        }}
      />
      {saved && (
        <span role="status" class="saved">
          Saved.
        </span>
      )}
    </form>
  );
};
