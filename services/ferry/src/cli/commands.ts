import type { JobInfoRead, JobWithAttemptsRead, WbConnectionRead, WorkspaceRead } from '@ferry/contracts';
import { ApiError, type Api } from './api.ts';
import { describeSchedule, formatBytes, formatCount, formatDuration, formatTime, table } from './format.ts';
import { ENDED, followJob, progressOf, type ProgressOutput } from './progress.ts';

export interface CliIo {
  /** stdout: what a script would capture. */
  out(text: string): void;
  /** stderr: live progress. */
  progress: ProgressOutput;
}

/** `ferry connections [--workspace <id>]`: the default workspace unless one is named. */
export const listConnections = async (api: Api, io: CliIo, workspaceId?: string) => {
  const workspace =
    workspaceId ??
    (await api.post<WorkspaceRead>('/v1/workspaces/get_by_slug', { slug: 'default' })).workspaceId;
  const { connections } = await api.post<{ connections: WbConnectionRead[] }>(
    '/v1/web_backend/connections/list',
    {
      workspaceId: workspace,
    },
  );
  if (connections.length === 0) {
    io.out(`no connections in workspace ${workspace}\n`);
    return 0;
  }
  const rows = connections.map((c) => [
    c.connectionId,
    c.name,
    c.isSyncing ? `${c.status} (syncing)` : c.status,
    describeSchedule(c),
    `${c.source.name} → ${c.destination.name}`,
  ]);
  io.out(`${table(['ID', 'NAME', 'STATUS', 'SCHEDULE', 'SOURCE → DESTINATION'], rows)}\n`);
  return 0;
};

const summary = (info: JobInfoRead) => {
  const p = progressOf(info, Date.now() / 1000);
  const moved = `${formatCount(p.records)} records, ${formatBytes(p.bytes)} in ${formatDuration(p.elapsed)}`;
  if (info.job.status === 'succeeded') return `job ${p.jobId} succeeded: ${moved}`;
  const attempts = `${info.attempts.length} attempt${info.attempts.length === 1 ? '' : 's'}`;
  return `job ${p.jobId} ${info.job.status} after ${attempts}; its log: ferry logs ${p.jobId}`;
};

/** `ferry sync <connectionId> [--wait]`: exit 0 once the job succeeded, 1 when it failed or was cancelled. */
export const syncConnection = async (api: Api, io: CliIo, connectionId: string, wait: boolean) => {
  const started = await api.post<JobInfoRead>('/v1/connections/sync', { connectionId });
  if (!wait) {
    io.out(`job ${started.job.id} ${started.job.status}\n`);
    return 0;
  }
  const ended = await followJob(api, started, io.progress);
  io.out(`${summary(ended)}\n`);
  return ended.job.status === 'succeeded' ? 0 : 1;
};

/** `ferry logs <jobId> [--attempt N]`: the attempt's log lines (the last attempt unless N, counted from 1). */
export const showLogs = async (api: Api, io: CliIo, jobId: number, attempt?: number) => {
  const info = await api.post<JobInfoRead>('/v1/jobs/get', { id: jobId });
  if (info.attempts.length === 0) throw new ApiError(404, `job ${jobId} has no attempt yet`);
  const chosen = attempt === undefined ? info.attempts.at(-1) : info.attempts[attempt - 1];
  if (!chosen)
    throw new ApiError(404, `job ${jobId} has attempts 1 to ${info.attempts.length}, not ${attempt}`);
  const lines = chosen.logs.logLines;
  if (lines.length > 0) io.out(`${lines.join('\n')}\n`);
  return 0;
};

const jobRow = ({ job, attempts }: JobWithAttemptsRead) => {
  const last = attempts.at(-1);
  const end = ENDED.has(job.status) ? job.updatedAt : Date.now() / 1000;
  return [
    String(job.id),
    job.configType,
    job.status,
    formatTime(job.createdAt),
    formatDuration(end - job.createdAt),
    String(attempts.length),
    formatCount(last?.recordsSynced ?? 0),
    formatBytes(last?.bytesSynced ?? 0),
  ];
};

/** `ferry jobs <connectionId>`: its syncs and resets, newest first. */
export const listJobs = async (api: Api, io: CliIo, connectionId: string) => {
  const lists = await Promise.all(
    ['sync', 'reset_connection'].map((configType) =>
      api.post<{ jobs: JobWithAttemptsRead[] }>('/v1/jobs/list', { configType, configId: connectionId }),
    ),
  );
  const jobs = lists
    .flatMap((l) => l.jobs)
    .sort((a, b) => b.job.createdAt - a.job.createdAt || b.job.id - a.job.id);
  if (jobs.length === 0) {
    io.out(`no sync or reset jobs for connection ${connectionId}\n`);
    return 0;
  }
  const header = ['JOB', 'TYPE', 'STATUS', 'CREATED', 'DURATION', 'ATTEMPTS', 'RECORDS', 'BYTES'];
  io.out(`${table(header, jobs.map(jobRow))}\n`);
  return 0;
};
