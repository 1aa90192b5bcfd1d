import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ALL_EVENTS_SUBJECT, DEADLINE_MS, HEADER, principal, type ResponseOf } from '@ferry/contracts';
import type { Bus, Subscription } from '@ferry/bus';
import { callOperation } from '@ferry/rpc';

/** Events read from the log per request to the audit service. */
const PAGE = 500;
/** How long the stream waits for a wake-up before it looks at the log anyway (a missed one costs this). */
const POLL_MS = 1_000;
/** A comment line this often keeps proxies from closing an idle stream. */
const KEEPALIVE_MS = 15_000;

type RecordedEvent = ResponseOf<'readEvents'>['events'][number];

/** `Last-Event-ID` (a client resuming) wins over `?after=`; neither: from now on. `undefined` when invalid. */
const startOf = (request: FastifyRequest): number | null | undefined => {
  const header = request.headers['last-event-id'];
  const resumed = Array.isArray(header) ? header[0] : header;
  const after = (request.query as Record<string, unknown>).after;
  const given = resumed ?? (typeof after === 'string' ? after : undefined);
  if (given === undefined || given === '') return null;
  return /^\d{1,15}$/.test(given) ? Number(given) : undefined;
};

const frame = (event: RecordedEvent) => `id: ${event.position}\ndata: ${JSON.stringify(event)}\n\n`;

/** Waits until the client has taken what was written, or left (also when it left before we looked). */
const send = async (response: ServerResponse, text: string) => {
  if (response.destroyed || response.write(text) || response.destroyed) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
  });
};

/**
 * Every live event stream of this gateway hears of new events through one subscription to
 * `ferry.events.>`. A message there only wakes the streams: what they send is read from the log, in order,
 * so a message core NATS lost (at most once) is never a missed event, only one sent up to POLL_MS later.
 */
const wakeUps = (app: FastifyInstance, bus: Bus) => {
  const waiting = new Set<() => void>();
  let subscription: Promise<Subscription> | undefined;
  app.addHook('onClose', async () => {
    await (await subscription)?.unsubscribe();
  });
  return {
    listen: () => {
      subscription ??= bus.subscribe(ALL_EVENTS_SUBJECT, () => {
        for (const wake of waiting) wake();
      });
      return subscription;
    },
    /** Resolves on the next event, after `ms`, or when `stop` is called, whichever comes first. */
    next: (ms: number) => {
      let stop = () => {};
      const next = new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          waiting.delete(done);
          resolve();
        }
        waiting.add(done);
        stop = done;
      });
      return { next, stop: () => stop() };
    },
  };
};

/**
 * `GET /api/v1/events?after=<position>` (ours): Server-Sent Events, one per event of the log after that
 * position, in log order, each with its position as `id`, so a client that reconnects with `Last-Event-ID`
 * gets every event it missed exactly once. The body is the recorded event, secrets masked.
 */
export const registerEventStream = (app: FastifyInstance, bus: Bus) => {
  const wake = wakeUps(app, bus);
  // Streams end when the gateway closes: they never end on their own, and the server waits for them.
  const live = new Set<() => void>();
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
    for (const end of live) end();
  });
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const start = startOf(request);
    if (start === undefined) {
      const message = 'after and Last-Event-ID must be a log position: a whole number, 0 for the start';
      return reply.code(422).send({ message, validationErrors: [{ propertyPath: 'after', message }] });
    }
    const headers = {
      [HEADER.requestId]: request.id,
      [HEADER.correlationId]: request.id,
      [HEADER.actor]: request.principal?.actor ?? principal.anonymous,
    };
    const read = async (after: number) =>
      (
        await callOperation(
          bus,
          'readEvents',
          { after, limit: PAGE },
          { headers, deadlineMs: DEADLINE_MS.read },
        )
      ).body;
    await wake.listen();
    let cursor = start ?? (await read(Number.MAX_SAFE_INTEGER)).head;
    reply.hijack();
    const response = reply.raw;
    response.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
      'x-request-id': request.id,
    });
    let open = !closing;
    let waiting = wake.next(POLL_MS);
    const end = () => {
      open = false;
      waiting.stop();
    };
    live.add(end);
    // The response's close: the client went away (the request's may come as soon as it was read).
    response.once('close', end);
    await send(response, `retry: ${POLL_MS}\n: ferry events after ${cursor}\n\n`);
    let quietSince = Date.now();
    while (open) {
      // Waiting starts before the read: an event stored while it runs wakes the next round at once.
      waiting.stop();
      waiting = wake.next(POLL_MS);
      const events = await read(cursor).then(
        (page) => page.events,
        (error: unknown) => {
          request.log.warn({ err: error }, 'event stream: the log could not be read; trying again');
          return [];
        },
      );
      for (const event of events) {
        if (!open) break;
        await send(response, frame(event));
        cursor = event.position;
        quietSince = Date.now();
      }
      if (events.length === PAGE) continue;
      if (Date.now() - quietSince >= KEEPALIVE_MS) {
        await send(response, ': keep-alive\n\n');
        quietSince = Date.now();
      }
      await waiting.next;
    }
    waiting.stop();
    live.delete(end);
    response.end();
  };
  for (const prefix of ['/api', '']) app.get(`${prefix}/v1/events`, handler);
};
