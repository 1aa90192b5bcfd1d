import { createInbox, Events, type Msg, type MsgHdrs, type NatsConnection } from 'nats';
import { ChunkAssembly, CHUNK_HEADER, parseChunkMark } from './chunks.ts';
import { chunkSizeOf, publishInChunks } from './nats-reply.ts';
import {
  disconnected,
  type Liveness,
  notPermitted,
  responderLost,
  TRANSPORT_HEADER,
} from './nats-liveness.ts';
import { busClosed, noResponders, timedOut } from './wire.ts';

/** One request waiting for its answer on the shared inbox. */
interface Pending {
  subject: string;
  receive(msg: Msg): void;
  fail(error: Error): void;
}

export interface RequestMux {
  /** Sends `data` on `subject` and resolves with the whole answer, however many messages it took. */
  request(subject: string, data: Uint8Array, headers: MsgHdrs, timeoutMs: number): Promise<Uint8Array>;
  close(): void;
}

/**
 * The caller's side of Ferry's requests over NATS: one wildcard inbox subscription for every request of
 * the connection (like nats.js's own muxed requests), plus what nats.js's `request` lacks: heartbeats that
 * tell a working responder from a dead one, replies in chunks beyond the server's max payload, and an
 * immediate failure of every waiting request when the connection drops (its answer can no longer arrive:
 * core NATS does not keep messages for a disconnected client).
 */
export function createRequestMux(nc: NatsConnection, liveness: Liveness, inboxPrefix: string): RequestMux {
  const prefix = createInbox(inboxPrefix);
  const pending = new Map<string, Pending>();
  let next = 0;
  const sub = nc.subscribe(`${prefix}.*`, {
    callback: (error, msg) => {
      if (!error) pending.get(msg.subject.slice(prefix.length + 1))?.receive(msg);
    },
  });
  const fail = (reason: (subject: string) => Error, only?: string) => {
    for (const waiting of [...pending.values()])
      if (only === undefined || waiting.subject === only) waiting.fail(reason(waiting.subject));
  };
  void watchStatus(nc, fail);
  return {
    request(subject, data, headers, timeoutMs) {
      const token = String(next++);
      headers.set(TRANSPORT_HEADER.reply, 'stream');
      return new Promise<Uint8Array>((resolve, reject) => {
        const waiting = awaitAnswer(subject, timeoutMs, liveness, {
          resolve,
          reject,
          done: () => pending.delete(token),
        });
        pending.set(token, waiting);
        try {
          const body = offerLargeBody(nc, inboxPrefix, data, headers);
          waiting.onSettled = body.withdraw;
          nc.publish(subject, body.inline, { reply: `${prefix}.${token}`, headers });
        } catch (error) {
          waiting.fail(error as Error);
        }
      });
    },
    close() {
      fail(() => busClosed());
      sub.unsubscribe();
    },
  };
}

interface Settle {
  resolve(answer: Uint8Array): void;
  reject(error: Error): void;
  done(): void;
}

/** The state of one request: its deadline, its liveness timer and the chunks received so far. */
function awaitAnswer(subject: string, timeoutMs: number, liveness: Liveness, settle: Settle) {
  let assembly: ChunkAssembly | undefined;
  let silence: NodeJS.Timeout | undefined;
  const deadline = setTimeout(() => fail(timedOut(subject, timeoutMs)), timeoutMs);
  const hearFromResponder = () => {
    clearTimeout(silence);
    silence = setTimeout(() => fail(responderLost(subject, liveness.livenessMs)), liveness.livenessMs);
  };
  const finish = () => {
    clearTimeout(deadline);
    clearTimeout(silence);
    settle.done();
    state.onSettled();
  };
  const fail = (error: Error) => {
    finish();
    settle.reject(error);
  };
  const receive = (msg: Msg) => {
    if (msg.data.length === 0 && msg.headers?.code === 503) return fail(noResponders(subject));
    hearFromResponder();
    if (msg.headers?.has(TRANSPORT_HEADER.heartbeat)) return;
    const mark = parseChunkMark(msg.headers?.get(CHUNK_HEADER));
    try {
      if (mark && !assembly) assembly = new ChunkAssembly();
      const whole = mark && assembly ? assembly.add(mark, msg.data) : msg.data;
      if (whole === null) return;
      finish();
      settle.resolve(whole);
    } catch (error) {
      fail(error as Error);
    }
  };
  hearFromResponder();
  const state = { subject, receive, fail, onSettled: () => {} };
  return state;
}

/**
 * A body larger than one message stays with the caller: the request carries the inbox where the
 * responder fetches it (`ferry-body`), answered in chunks like any large reply. Queue groups make chunks
 * of the request itself impossible: each could reach another replica.
 */
function offerLargeBody(nc: NatsConnection, inboxPrefix: string, data: Uint8Array, headers: MsgHdrs) {
  if (data.length <= chunkSizeOf(nc)) return { inline: data, withdraw: () => {} };
  const inbox = createInbox(inboxPrefix);
  const sub = nc.subscribe(inbox, {
    callback: (error, msg) => {
      if (!error && msg.reply) publishInChunks(nc, msg.reply, data);
    },
  });
  headers.set(TRANSPORT_HEADER.body, inbox);
  return { inline: new Uint8Array(0), withdraw: () => sub.unsubscribe() };
}

/**
 * Fails the requests whose answer can no longer come: every one when the connection drops, those to a
 * subject when the server refuses the publish (permissions), instead of letting them wait for liveness.
 */
async function watchStatus(
  nc: NatsConnection,
  fail: (reason: (subject: string) => Error, only?: string) => void,
) {
  for await (const status of nc.status()) {
    if (status.type === Events.Disconnect) fail(disconnected);
    const denied = status.type === Events.Error ? status.permissionContext : undefined;
    if (denied?.operation === 'publish')
      fail((subject) => notPermitted('publish to', subject), denied.subject);
  }
}
