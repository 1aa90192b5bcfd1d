import { createParser } from 'eventsource-parser';
import { authorizationOf, type Credentials } from '../api/session.ts';

/** What the console needs of an event of the log (RecordedEvent, docs/bus.md). */
export interface LogEvent {
  type: string;
  streamName: string;
  position: number;
  data: Record<string, unknown>;
}

export type StreamState = 'connecting' | 'live' | 'offline';

export interface EventStreamOptions {
  credentials: Credentials;
  onEvent(event: LogEvent): void;
  onState(state: StreamState): void;
}

const URL = '/api/v1/events';
/** Waits before reconnecting after each failure in a row, capped: the server says 1 s with `retry:`. */
const backoffMs = (failures: number) => Math.min(10_000, 1_000 * 2 ** Math.max(0, failures - 1));

/**
 * Follows `GET /api/v1/events` (Server-Sent Events). Not the browser's EventSource: it cannot send an
 * Authorization header, and with authentication on the stream needs one. The stream starts at "now"; after
 * a drop it resumes with `Last-Event-ID`, so no event in between is lost. Returns a function that stops it.
 */
export const followEvents = (options: EventStreamOptions): (() => void) => {
  const abort = new AbortController();
  let lastId: string | undefined;
  let failures = 0;
  const parser = createParser({
    onEvent: (message) => {
      if (message.id) lastId = message.id;
      try {
        options.onEvent(JSON.parse(message.data) as LogEvent);
      } catch {
        // A frame that is not an event of the log (a future kind of message) is not ours to read.
      }
    },
  });

  const connect = async () => {
    options.onState('connecting');
    const headers: Record<string, string> = {
      Accept: 'text/event-stream',
      'X-Requested-With': 'XMLHttpRequest',
    };
    const authorization = authorizationOf(options.credentials);
    if (authorization) headers.Authorization = authorization;
    if (lastId) headers['Last-Event-ID'] = lastId;
    const response = await fetch(URL, { headers, signal: abort.signal });
    if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
    options.onState('live');
    failures = 0;
    parser.reset();
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      parser.feed(value);
    }
  };

  void (async () => {
    while (!abort.signal.aborted) {
      await connect().catch(() => undefined);
      if (abort.signal.aborted) return;
      failures += 1;
      options.onState('offline');
      await new Promise((resolve) => setTimeout(resolve, backoffMs(failures)));
    }
  })();
  return () => abort.abort();
};
