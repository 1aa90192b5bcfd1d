import { connect } from 'nats';

/** One message as any NATS client sees it: its subject, and its headers and payload as raw bytes. */
export interface SeenMessage {
  subject: string;
  bytes: Buffer;
}

const CHUNK_HEADER = 'ferry-chunk';

/**
 * The chunks of one chunked message are consecutive messages of one subject (`ferry-chunk: i/n`, see
 * packages/bus/src/chunks.ts); joined, a value cut in two by a chunk boundary is whole again.
 */
const joinChunks = (messages: readonly (SeenMessage & { chunk: string | null })[]): SeenMessage[] => {
  const open = new Map<string, Buffer[]>();
  const joined: SeenMessage[] = [];
  for (const { subject, bytes, chunk } of messages) {
    const mark = chunk === null ? null : /^(\d+)\/(\d+)$/.exec(chunk);
    if (!mark) continue;
    const parts = mark[1] === '0' ? [] : (open.get(subject) ?? []);
    parts.push(bytes);
    open.set(subject, parts);
    if (Number(mark[1]) === Number(mark[2]) - 1) joined.push({ subject, bytes: Buffer.concat(parts) });
  }
  return joined;
};

/**
 * A plain NATS client subscribed to `>`, as anyone who can reach the server could be: it receives every
 * request, every reply (`_INBOX.>`), every event and every chunk any service sends.
 */
export const recordEverything = async (url: string) => {
  const connection = await connect({ servers: url, name: 'eavesdropper' });
  const seen: (SeenMessage & { chunk: string | null })[] = [];
  const subscription = connection.subscribe('>');
  const reading = (async () => {
    for await (const message of subscription) {
      const headers = [...(message.headers ?? [])].map(([k, v]) => `${k}: ${v.join(',')}\n`).join('');
      seen.push({
        subject: message.subject,
        bytes: Buffer.concat([Buffer.from(headers, 'utf8'), Buffer.from(message.data)]),
        chunk: message.headers?.get(CHUNK_HEADER) || null,
      });
    }
  })();
  await connection.flush();
  return {
    /** Every message so far. */
    messages: (): readonly SeenMessage[] => seen,
    /** The messages, and joined chunked messages, whose bytes hold `needle` (as UTF-8). */
    holding: (needle: string): SeenMessage[] => {
      const bytes = Buffer.from(needle, 'utf8');
      return [...seen, ...joinChunks(seen)].filter((m) => m.bytes.includes(bytes));
    },
    chunked: () => seen.filter((m) => m.chunk !== null).length,
    close: async () => {
      await connection.drain();
      await reading;
    },
  };
};
export type BusRecorder = Awaited<ReturnType<typeof recordEverything>>;
