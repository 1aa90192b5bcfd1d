/** One Server-Sent Event as the test reads it: its `id` and its data parsed as JSON. */
export interface ServerSentEvent {
  id: string | null;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON events
  data: any;
}

export interface EventStreamReader {
  status: number;
  headers: Headers;
  events: ServerSentEvent[];
  /** Resolves once `predicate` holds for the events read so far, or rejects after `timeoutMs`. */
  until(predicate: (events: ServerSentEvent[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Disconnects, as a subscriber that stops. */
  close(): Promise<void>;
}

/** Opens `url` as an event stream and parses its frames (text/event-stream) as they come. */
export const readEventStream = async (
  url: string,
  headers: Record<string, string> = {},
): Promise<EventStreamReader> => {
  const abort = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: abort.signal,
  });
  const events: ServerSentEvent[] = [];
  const waiters = new Set<() => void>();
  const reading = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      const body = response.body.getReader();
      for (let read = await body.read(); !read.done; read = await body.read()) {
        buffer += decoder.decode(read.value, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split('\n').filter((line) => !line.startsWith(':'));
          const field = (name: string) =>
            lines.filter((l) => l.startsWith(`${name}:`)).map((l) => l.slice(name.length + 1).trimStart());
          const data = field('data');
          if (data.length === 0) continue;
          events.push({ id: field('id')[0] ?? null, data: JSON.parse(data.join('\n')) });
          for (const waiter of waiters) waiter();
        }
      }
    } catch (error) {
      if (!abort.signal.aborted) throw error;
    }
  })();
  return {
    status: response.status,
    headers: response.headers,
    events,
    until: (predicate, timeoutMs = 20_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!predicate(events)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`the event stream did not get there in ${timeoutMs} ms (${events.length} events)`),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: async () => {
      abort.abort();
      await reading.catch(() => undefined);
    },
  };
};
