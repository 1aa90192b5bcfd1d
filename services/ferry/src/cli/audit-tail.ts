import type { Api } from './api.ts';
import type { CliIo } from './commands.ts';

/** How long to wait before reconnecting a stream that dropped. */
const RECONNECT_MS = 1_000;

interface StreamedEvent {
  position: number;
  type: string;
  streamName: string;
  metadata: { actor: string; occurredAt: string };
}

interface AuditEntry {
  position: number;
  at: string;
  actor: string;
  type: string;
  resourceType: string;
  resourceId: string;
}

export interface TailOptions {
  /** Start after this log position; unset: show the last `lines` entries of the trail, then follow. */
  after?: number | undefined;
  lines: number;
  /** Stop after this many followed events (scripts, tests); unset: follow until interrupted. */
  count?: number | undefined;
  signal?: AbortSignal;
}

/** `1042  2025-01-31T12:00:00.000Z  user:ada  ActorUpdated  source-1b2c…` */
const line = (position: number, at: string, actor: string, type: string, stream: string) =>
  `${String(position).padStart(7)}  ${at}  ${actor}  ${type}  ${stream}\n`;

/** The last `lines` entries of the audit trail, oldest first; answers the newest position shown (or 0). */
const recent = async (api: Api, io: CliIo, lines: number) => {
  if (lines === 0) return undefined;
  const { entries } = await api.post<{ entries: AuditEntry[] }>('/v1/audit/list', { pageSize: lines });
  const shown = entries.toReversed();
  for (const e of shown) io.out(line(e.position, e.at, e.actor, e.type, `${e.resourceType}-${e.resourceId}`));
  return shown.length === 0 ? undefined : Math.max(...shown.map((e) => e.position));
};

/** The events of one connection to the stream, as they come; ends when the stream does. */
async function* framesOf(response: Response): AsyncGenerator<StreamedEvent> {
  if (!response.body) return;
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    buffer += decoder.decode(read.value, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
      const data = buffer
        .slice(0, end)
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trimStart());
      buffer = buffer.slice(end + 2);
      if (data.length > 0) yield JSON.parse(data.join('\n')) as StreamedEvent;
    }
  }
}

/**
 * `ferry audit tail`: the events of the log as they are stored, one line each, through the event stream.
 * A dropped connection is opened again with `Last-Event-ID`, so nothing is shown twice or left out.
 */
export const tailAudit = async (api: Api, io: CliIo, options: TailOptions): Promise<number> => {
  const signal = options.signal ?? new AbortController().signal;
  let after = options.after ?? (await recent(api, io, options.lines));
  let followed = 0;
  while (!signal.aborted) {
    try {
      const query = after === undefined ? '' : `?after=${after}`;
      const headers: Record<string, string> = after === undefined ? {} : { 'last-event-id': String(after) };
      const response = await api.stream(`/v1/events${query}`, headers, signal);
      for await (const event of framesOf(response)) {
        io.out(
          line(event.position, event.metadata.occurredAt, event.metadata.actor, event.type, event.streamName),
        );
        after = event.position;
        if (options.count !== undefined && ++followed >= options.count) return 0;
      }
    } catch (error) {
      if (signal.aborted) break;
      if ((error as { status?: number }).status !== undefined && (error as { status: number }).status >= 400)
        throw error;
    }
    await new Promise((resume) => setTimeout(resume, RECONNECT_MS));
  }
  return 0;
};
