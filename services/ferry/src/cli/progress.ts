import type { JobInfoRead, JobStatus } from '@ferry/contracts';
import type { Api } from './api.ts';
import { formatBytes, formatCount, formatDuration } from './format.ts';

export const ENDED: ReadonlySet<JobStatus> = new Set(['succeeded', 'failed', 'cancelled']);

export interface Progress {
  jobId: number;
  status: JobStatus;
  /** 1-based, as a person counts attempts; null before the first starts. */
  attempt: number | null;
  records: number;
  bytes: number;
  /** Seconds since the job was created (until it ended). */
  elapsed: number;
  /** Records per second of the current attempt. */
  rate: number;
  /** Share of the source's estimate synced, and seconds until the expected end: when the source estimates. */
  percent: number | null;
  left: number | null;
}

export const progressOf = (info: JobInfoRead, nowSeconds: number): Progress => {
  const last = info.attempts.at(-1)?.attempt;
  const records = last?.recordsSynced ?? 0;
  const end = ENDED.has(info.job.status) ? info.job.updatedAt : nowSeconds;
  const attemptSeconds = last ? Math.max((last.endedAt ?? nowSeconds) - last.createdAt, 1) : 1;
  return {
    jobId: info.job.id,
    status: info.job.status,
    attempt: last ? last.id + 1 : null,
    records,
    bytes: last?.bytesSynced ?? 0,
    elapsed: end - info.job.createdAt,
    rate: records / attemptSeconds,
    percent: last?.progressPercent ?? null,
    left:
      last?.estimatedEndAt != null && !ENDED.has(info.job.status)
        ? Math.max(0, Math.round(last.estimatedEndAt - nowSeconds))
        : null,
  };
};

const BAR_WIDTH = 16;
const BLOCK = 4;

/**
 * Filled to the share of the source's estimate when it gave one; otherwise the total is unknown until the
 * source is done, so a block sweeps back and forth until the job ends.
 */
export const bar = (frame: number, ended: boolean, percent: number | null = null) => {
  if (ended) return '█'.repeat(BAR_WIDTH);
  if (percent !== null) {
    const filled = Math.round((percent / 100) * BAR_WIDTH);
    return `${'█'.repeat(filled)}${' '.repeat(BAR_WIDTH - filled)}`;
  }
  const span = BAR_WIDTH - BLOCK;
  const step = frame % (2 * span);
  const at = step <= span ? step : 2 * span - step;
  return `${' '.repeat(at)}${'█'.repeat(BLOCK)}${' '.repeat(span - at)}`;
};

/** `job 12 running  attempt 1  12,345 records  3.4 MB  1,234 rec/s  0:12`, with a bar when `frame` is given. */
export const progressLine = (p: Progress, frame?: number) => {
  const text = [
    `job ${p.jobId} ${p.status}`,
    ...(p.attempt === null ? [] : [`attempt ${p.attempt}`]),
    `${formatCount(p.records)} records`,
    ...(p.percent === null ? [] : [`${p.percent.toFixed(1)}%`]),
    formatBytes(p.bytes),
    `${formatCount(p.rate)} rec/s`,
    formatDuration(p.elapsed),
    ...(p.left === null ? [] : [`about ${formatDuration(p.left)} left`]),
  ].join('  ');
  return frame === undefined ? text : `▕${bar(frame, ENDED.has(p.status), p.percent)}▏ ${text}`;
};

/** Where progress goes: stderr, redrawn in place on a terminal, one line per change otherwise. */
export interface ProgressOutput {
  isTTY: boolean;
  columns?: number | undefined;
  write(text: string): void;
}

const POLL_MS = 1_000;
const REDRAW_MS = 200;

/** Polls `jobs/get` every second until the job ends; returns its last state. */
export const followJob = async (api: Api, first: JobInfoRead, out: ProgressOutput): Promise<JobInfoRead> => {
  let info = first;
  let frame = 0;
  let printed = '';
  const now = () => Date.now() / 1000;
  const draw = () => {
    const line = progressLine(progressOf(info, now()), frame++);
    out.write(`\r\x1b[2K${out.columns ? line.slice(0, out.columns - 1) : line}`);
  };
  const print = () => {
    const p = progressOf(info, now());
    const changed = `${p.status} ${p.attempt} ${p.records}`;
    if (changed !== printed) out.write(`${progressLine(p)}\n`);
    printed = changed;
  };
  const show = out.isTTY ? draw : print;
  const redraw = out.isTTY ? setInterval(draw, REDRAW_MS) : undefined;
  try {
    show();
    while (!ENDED.has(info.job.status)) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      info = await api.post<JobInfoRead>('/v1/jobs/get', { id: info.job.id });
      show();
    }
  } finally {
    clearInterval(redraw);
    if (out.isTTY) out.write('\n');
  }
  return info;
};
