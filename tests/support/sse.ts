import { request as httpRequest, type IncomingMessage } from 'node:http';

/** One Server-Sent Event as the test reads it: its `id` and its data parsed as JSON. */
export interface ServerSentEvent {
  id: string | null;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON events
  data: any;
}

export interface EventStreamReader {
  status: number;
  headers: IncomingMessage['headers'];
  events: ServerSentEvent[];
  /** The response, to see it end. */
  response: IncomingMessage;
  /** Resolves once `predicate` holds for the events read so far, or rejects after `timeoutMs`. */
  until(predicate: (events: ServerSentEvent[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Disconnects, as a subscriber that stops. */
  close(): Promise<void>;
}

/** The frames of a text/event-stream body, as they come. */
const parseFrames = (onEvent: (event: ServerSentEvent) => void) => {
  let buffer = '';
  return (text: string) => {
    buffer += text;
    for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
      const lines = buffer
        .slice(0, end)
        .split('\n')
        .filter((line) => !line.startsWith(':'));
      buffer = buffer.slice(end + 2);
      const field = (name: string) =>
        lines.filter((l) => l.startsWith(`${name}:`)).map((l) => l.slice(name.length + 1).trimStart());
      const data = field('data');
      if (data.length > 0) onEvent({ id: field('id')[0] ?? null, data: JSON.parse(data.join('\n')) });
    }
  };
};

/**
 * Opens `url` as an event stream on a connection of its own (no keep-alive pool: closing it leaves no
 * connection behind that the server would wait for when it stops) and parses its frames as they come.
 */
export const readEventStream = (
  url: string,
  headers: Record<string, string> = {},
): Promise<EventStreamReader> =>
  new Promise((resolve, reject) => {
    const events: ServerSentEvent[] = [];
    const waiters = new Set<() => void>();
    const request = httpRequest(url, { agent: false, headers: { accept: 'text/event-stream', ...headers } });
    request.once('error', reject);
    request.once('response', (response) => {
      response.setEncoding('utf8');
      const feed = parseFrames((event) => {
        events.push(event);
        for (const waiter of waiters) waiter();
      });
      response.on('data', feed);
      response.on('error', () => undefined);
      resolve({
        status: response.statusCode ?? 0,
        headers: response.headers,
        events,
        response,
        until: (predicate, timeoutMs = 20_000) =>
          new Promise<void>((done, fail) => {
            const check = () => {
              if (!predicate(events)) return;
              clearTimeout(timer);
              waiters.delete(check);
              done();
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(
                new Error(`the event stream did not get there in ${timeoutMs} ms (${events.length} events)`),
              );
            }, timeoutMs);
            waiters.add(check);
            check();
          }),
        close: async () => {
          const socket = request.socket;
          const closed = new Promise((done) =>
            !socket || socket.destroyed ? done(undefined) : socket.once('close', done),
          );
          request.destroy();
          await closed;
        },
      });
    });
    request.end();
  });
