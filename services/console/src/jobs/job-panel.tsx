import { useEffect, useRef, useState } from 'preact/hooks';
import { addSample, type Sample } from '../chart/rates.ts';
import { LiveChart } from '../chart/live-chart.tsx';
import { useConsole } from '../context.ts';
import { useResource } from '../live/use-resource.ts';
import { ActionButton } from '../ui/action-button.tsx';
import { Loading, Problem } from '../ui/feedback.tsx';
import { bytesText, countText, durationText, timeText } from '../ui/format.ts';
import { Status } from '../ui/status.tsx';
import { JobLog } from './job-log.tsx';

const RUNNING = new Set(['pending', 'running', 'incomplete']);
/** A running job's log lines and counts are read again this often: log lines are not events of the log. */
const RUNNING_POLL_MS = 1_000;

/**
 * One job: its status, attempts with their counts, a live chart of records/s and bytes/s while it runs,
 * and the log of the attempt chosen (the latest by default), following as lines arrive.
 */
export const JobPanel = ({ jobId, heading = 'h3' }: { jobId: number; heading?: 'h2' | 'h3' }) => {
  const { call } = useConsole();
  const [running, setRunning] = useState(true);
  const job = useResource(`job:${jobId}`, () => call('getJobInfo', { id: jobId }), {
    pollMs: running ? RUNNING_POLL_MS : 0,
  });
  const [samples, setSamples] = useState<Sample[]>([]);
  const [chosen, setChosen] = useState<number | null>(null);
  const lastAttempt = useRef<number | null>(null);

  const status = job.data?.job.status;
  const attempts = job.data?.attempts ?? [];
  const current = attempts.at(-1)?.attempt;
  useEffect(() => setRunning(status === undefined || RUNNING.has(status)), [status]);
  useEffect(() => {
    if (current?.status !== 'running') return;
    if (lastAttempt.current !== current.id) setSamples([]);
    lastAttempt.current = current.id;
    setSamples((s) =>
      addSample(s, { at: Date.now(), records: current.recordsSynced ?? 0, bytes: current.bytesSynced ?? 0 }),
    );
  }, [job.data]);

  if (job.loading) return <Loading what={`job ${jobId}`} />;
  if (!job.data) return <Problem error={job.error} label={`Job ${jobId} could not be loaded`} />;
  const H = heading;
  const shown = attempts[chosen ?? attempts.length - 1];
  return (
    <section class="job" aria-labelledby={`job-${jobId}-title`}>
      <H id={`job-${jobId}-title`}>
        Job {jobId} <Status value={job.data.job.status} />
      </H>
      <p>
        {job.data.job.configType.replace('_', ' ')} · created {timeText(job.data.job.createdAt)}
        {job.data.job.connectionVersion ? ` · from connection version ${job.data.job.connectionVersion}` : ''}
      </p>
      {running && (
        <ActionButton
          label="Cancel job"
          busyLabel="Cancelling…"
          kind="danger"
          action={() => call('cancelJob', { id: jobId })}
          onDone={job.reload}
        />
      )}
      <dl class="counts" aria-live="polite">
        <div>
          <dt>Records</dt>
          <dd>{countText(current?.recordsSynced ?? 0)}</dd>
        </div>
        <div>
          <dt>Bytes</dt>
          <dd>{bytesText(current?.bytesSynced ?? 0)}</dd>
        </div>
      </dl>
      {(running || samples.length > 1) && <LiveChart samples={samples} />}
      <table>
        <caption>Attempts</caption>
        <thead>
          <tr>
            <th scope="col">Attempt</th>
            <th scope="col">Status</th>
            <th scope="col">Records</th>
            <th scope="col">Bytes</th>
            <th scope="col">Took</th>
            <th scope="col">Log</th>
          </tr>
        </thead>
        <tbody>
          {attempts.map(({ attempt }, index) => (
            <tr key={attempt.id}>
              <th scope="row">{index + 1}</th>
              <td>
                <Status value={attempt.status} />
              </td>
              <td>{countText(attempt.recordsSynced)}</td>
              <td>{bytesText(attempt.bytesSynced)}</td>
              <td>{durationText(attempt.createdAt, attempt.endedAt ?? Date.now() / 1000)}</td>
              <td>
                <button
                  type="button"
                  class="link"
                  aria-pressed={shown?.attempt.id === attempt.id}
                  onClick={() => setChosen(index)}
                >
                  Show log of attempt {index + 1}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown && (
        <JobLog
          lines={shown.logs.logLines}
          live={shown.attempt.status === 'running'}
          label={`Log of attempt ${attempts.indexOf(shown) + 1}`}
        />
      )}
    </section>
  );
};
