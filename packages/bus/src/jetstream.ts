import {
  headers as natsHeaders,
  JSONCodec,
  type JetStreamManager,
  type NatsConnection,
  type NatsError,
  nanos,
} from 'nats';
import { CHUNK_HEADER, splitIntoChunks } from './chunks.ts';
import { type NatsConnectionOptions, openNatsConnection } from './nats-connect.ts';
import { TRANSPORT_HEADER } from './nats-liveness.ts';
import { chunkSizeOf } from './nats-reply.ts';
import type { Headers } from './port.ts';

/** The header that names an event's log position on its messages in the stream. */
export const POSITION_HEADER = 'ferry-position';

export interface DurableEventsOptions extends NatsConnectionOptions {
  /** The JetStream stream, created when missing (default `FERRY_EVENTS`). */
  stream?: string;
  /** The subjects it holds (default `ferry.events.>`). */
  subjects?: string[];
  /** How long the server remembers a message id to drop a second copy (default 10 minutes). */
  duplicateWindowMs?: number;
}

/** What the relay appends to, when the deployment has JetStream. */
export interface DurableEvents {
  /** The position of the last event the stream holds (its last message's header), 0 when it holds none. */
  lastPosition(): Promise<number>;
  /**
   * Publishes an event and resolves once the stream has stored it. Its id is the message id, so a second
   * copy (a relay that crashed before its checkpoint, another replica's relay) within the duplicate
   * window is dropped by the server. Core subscribers of the subject get it too, as any publish.
   */
  publish(subject: string, event: { id: string; position: number }, headers?: Headers): Promise<void>;
  close(): Promise<void>;
}

const ensureStream = async (jsm: JetStreamManager, name: string, subjects: string[], windowMs: number) => {
  const config = { name, subjects, duplicate_window: nanos(windowMs) };
  try {
    const info = await jsm.streams.info(name);
    const same =
      info.config.subjects.join() === subjects.join() &&
      info.config.duplicate_window === config.duplicate_window;
    if (!same) await jsm.streams.update(name, { ...info.config, ...config });
  } catch (error) {
    // JetStream's "stream not found" (10059): the first start on this server.
    if ((error as NatsError).api_error?.err_code !== 10059) throw error;
    await jsm.streams.add(config);
  }
};

const codec = JSONCodec();

/**
 * A connection of its own to a JetStream-enabled nats-server, and the stream of Ferry's events on it. An
 * event larger than the server's max payload is stored as consecutive chunks, as the bus sends them
 * (`ferry-message-id` is the event id, `ferry-chunk: <index>/<count>`), each with its own message id.
 */
export async function openDurableEvents(options: DurableEventsOptions): Promise<DurableEvents> {
  const nc: NatsConnection = await openNatsConnection(options);
  const stream = options.stream ?? 'FERRY_EVENTS';
  try {
    const jsm = await nc.jetstreamManager();
    await ensureStream(
      jsm,
      stream,
      options.subjects ?? ['ferry.events.>'],
      options.duplicateWindowMs ?? 600_000,
    );
    const js = nc.jetstream();
    return {
      async lastPosition() {
        const { state } = await jsm.streams.info(stream);
        if (state.messages === 0) return 0;
        const last = await jsm.streams.getMessage(stream, { seq: state.last_seq });
        return Number(last.header.get(POSITION_HEADER)) || 0;
      },
      async publish(subject, event, extra = {}) {
        const data = codec.encode(event);
        const size = chunkSizeOf(nc);
        const chunks = splitIntoChunks(data, size);
        for (const [index, chunk] of chunks.entries()) {
          const headers = natsHeaders();
          for (const [key, value] of Object.entries(extra)) headers.set(key, value);
          headers.set(POSITION_HEADER, String(event.position));
          if (chunks.length > 1) {
            headers.set(TRANSPORT_HEADER.messageId, event.id);
            headers.set(CHUNK_HEADER, chunk.mark);
          }
          const msgID = chunks.length > 1 ? `${event.id}:${index}` : event.id;
          await js.publish(subject, chunk.data, { msgID, headers });
        }
      },
      close: () => nc.drain(),
    };
  } catch (error) {
    await nc.close();
    throw error;
  }
}
