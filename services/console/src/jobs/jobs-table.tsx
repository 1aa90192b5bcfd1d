import type { Response } from '../api/operations.ts';
import { bytesText, countText, timeText } from '../ui/format.ts';
import { Status } from '../ui/status.tsx';

type JobWithAttempts = Response<'listJobsFor'>['jobs'][number];

/** A connection's jobs, newest first, with their attempts summed up; each job is a link to its page. */
export const JobsTable = ({
  jobs,
  current,
  onChoose,
}: {
  jobs: JobWithAttempts[];
  current: number | null;
  onChoose(id: number): void;
}) => (
  <table>
    <caption class="visually-hidden">Jobs</caption>
    <thead>
      <tr>
        <th scope="col">Job</th>
        <th scope="col">Kind</th>
        <th scope="col">Status</th>
        <th scope="col">Created</th>
        <th scope="col">Attempts</th>
        <th scope="col">Records</th>
        <th scope="col">Bytes</th>
      </tr>
    </thead>
    <tbody>
      {jobs.map(({ job, attempts }) => {
        const last = attempts.at(-1);
        return (
          <tr key={job.id} aria-current={current === job.id ? 'true' : undefined}>
            <th scope="row">
              <button
                type="button"
                class="link"
                aria-pressed={current === job.id}
                onClick={() => onChoose(job.id)}
              >
                Job {job.id}
              </button>{' '}
              <a href={`/jobs/${job.id}`} aria-label={`Open job ${job.id} on its own page`}>
                ↗
              </a>
            </th>
            <td>{job.configType === 'reset_connection' ? 'reset' : job.configType}</td>
            <td>
              <Status value={job.status} />
            </td>
            <td>{timeText(job.createdAt)}</td>
            <td>{attempts.length}</td>
            <td>{countText(last?.recordsSynced)}</td>
            <td>{bytesText(last?.bytesSynced)}</td>
          </tr>
        );
      })}
    </tbody>
  </table>
);
