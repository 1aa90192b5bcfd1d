import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ConnectionSettings } from '../connection/settings-form.tsx';
import { useConsole } from '../context.ts';
import { JobPanel } from '../jobs/job-panel.tsx';
import { JobsTable } from '../jobs/jobs-table.tsx';
import { useResource } from '../live/use-resource.ts';
import { ActionButton } from '../ui/action-button.tsx';
import { Loading, Problem } from '../ui/feedback.tsx';
import { scheduleText, timeText } from '../ui/format.ts';
import { Page } from '../ui/page.tsx';
import { Status } from '../ui/status.tsx';

/** A connection: what it moves and when, sync/cancel/reset, its jobs and the chosen job's chart and log. */
export const ConnectionPage = ({ id }: { id: string }) => {
  const { call } = useConsole();
  const { route } = useLocation();
  const connection = useResource(`connection:${id}`, () =>
    call('webBackendGetConnection', { connectionId: id }),
  );
  const jobs = useResource(`jobs:${id}`, async () => {
    const [syncs, resets] = await Promise.all([
      call('listJobsFor', { configType: 'sync', configId: id }),
      call('listJobsFor', { configType: 'reset_connection', configId: id }),
    ]);
    return [...syncs.jobs, ...resets.jobs].sort((a, b) => b.job.id - a.job.id);
  });
  const [chosen, setChosen] = useState<number | null>(null);

  if (connection.loading) return <Loading what="the connection" />;
  if (!connection.data)
    return (
      <Page title="Connection">
        <Problem error={connection.error} label="The connection could not be loaded" />
      </Page>
    );
  const c = connection.data;
  const shownJob = chosen ?? jobs.data?.[0]?.job.id ?? null;
  const afterStart = (answer: unknown) => {
    setChosen((answer as { job: { id: number } }).job.id);
    jobs.reload();
  };
  return (
    <Page
      title={c.name}
      actions={
        <>
          <ActionButton
            label="Sync now"
            busyLabel="Starting sync…"
            kind="primary"
            action={() => call('syncConnection', { connectionId: id })}
            onDone={afterStart}
          />
          <ActionButton
            label="Reset data"
            busyLabel="Starting reset…"
            kind="danger"
            confirm={{
              question: `Reset ${c.name}? The destination’s data for its streams is cleared.`,
              confirmLabel: 'Reset data',
            }}
            action={() => call('resetConnection', { connectionId: id })}
            onDone={afterStart}
          />
          <a class="button secondary" href={`/history/${id}`}>
            History
          </a>
          <ActionButton
            label="Delete connection"
            kind="danger"
            confirm={{
              question: `Delete ${c.name}? Its history keeps it and it can be restored.`,
              confirmLabel: 'Delete',
            }}
            action={() => call('deleteConnection', { connectionId: id })}
            onDone={() => route('/')}
          />
        </>
      }
    >
      <dl class="facts">
        <div>
          <dt>Source → destination</dt>
          <dd>
            <a href={`/sources/${c.sourceId}`}>{c.source.name}</a> →{' '}
            <a href={`/destinations/${c.destinationId}`}>{c.destination.name}</a>
          </dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>
            <Status value={c.isSyncing ? 'syncing' : c.status} />
          </dd>
        </div>
        <div>
          <dt>Schedule</dt>
          <dd>{scheduleText(c)}</dd>
        </div>
        <div>
          <dt>Last sync</dt>
          <dd>{timeText(c.lastSync)}</dd>
        </div>
      </dl>
      <div class="columns">
        <ConnectionSettings connection={c} onSaved={connection.reload} />
        <section aria-labelledby="jobs-title" class="jobs">
          <h2 id="jobs-title">Jobs</h2>
          <Problem error={jobs.error} label="The jobs could not be loaded" />
          {jobs.data?.length === 0 && <p>No jobs yet: sync now to start one.</p>}
          {jobs.data && jobs.data.length > 0 && (
            <JobsTable jobs={jobs.data} current={shownJob} onChoose={setChosen} />
          )}
          {shownJob !== null && <JobPanel key={shownJob} jobId={shownJob} />}
        </section>
      </div>
    </Page>
  );
};
