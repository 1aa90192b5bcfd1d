import { JsonText, JsonTextStream, wholeText } from '@ferry/bus';
import type { OperationReply } from '@ferry/contracts';
import { describe, expect, it } from 'vitest';
import {
  BodyText,
  openOperationReply,
  replyAsJsonText,
  sendableReply,
  StreamedBodyText,
} from './reply-text.ts';

/** The reply's text as the wire carries it: a streamed one read whole. */
const textOf = (reply: JsonText | JsonTextStream) =>
  reply instanceof JsonTextStream ? wholeText(reply) : reply.text;

const connection = { connectionId: 'c-1', name: 'é "quoted" \\ \n', at: new Date(0), skipped: undefined };
const replies: OperationReply[] = [
  { body: [connection, { n: -1.5e-7, none: null }] },
  { body: { connections: [connection] }, etag: 12 },
  { body: [], etag: 0 },
  { body: 'text', etag: 3 },
  { body: 7 },
  { body: null },
  { body: undefined },
  { body: undefined, etag: 4 },
];

describe('an operation reply as JSON text', () => {
  it.each(replies)('is the text JSON.stringify makes of the reply, etag first (%j)', async (reply) => {
    const { etag, body } = reply;
    expect(await textOf(replyAsJsonText(reply))).toBe(
      JSON.stringify(etag === undefined ? { body } : { etag, body }),
    );
    expect(openOperationReply(replyAsJsonText(reply))).toEqual(JSON.parse(JSON.stringify(reply)));
  });

  it.each(replies)('sends an object or array body as the bytes JSON.stringify makes of it (%j)', (reply) => {
    const sendable = sendableReply(replyAsJsonText(reply));
    expect(sendable.etag).toBe(reply.etag);
    const structured = typeof reply.body === 'object' && reply.body !== null;
    if (structured) expect(sendable).toHaveProperty('bodyParts', [JSON.stringify(reply.body)]);
    else
      expect(sendable).toEqual({
        ...(reply.etag === undefined ? {} : { etag: reply.etag }),
        body: reply.body,
      });
  });

  it("takes a handler's own body text as it stands, as it would take the body it spells", async () => {
    const body = { connections: [connection] };
    const reply = { body: new BodyText<typeof body>(JSON.stringify(body)), etag: 5 };
    expect(await textOf(replyAsJsonText(reply))).toBe(await textOf(replyAsJsonText({ body, etag: 5 })));
    expect(sendableReply(replyAsJsonText(reply))).toEqual({ etag: 5, bodyParts: [JSON.stringify(body)] });
    expect(Object.isFrozen(reply.body)).toBe(true);
  });

  it("takes a handler's body text in parts: the text is their concatenation, sent as those parts", async () => {
    const body = { connections: [connection, connection] };
    const item = JSON.stringify(connection);
    const parts = ['', '{"connections":[', item, ',', item, ']}'];
    const reply = { body: new BodyText<typeof body>(parts) };
    expect(reply.body.text).toBe(JSON.stringify(body));
    expect(await textOf(replyAsJsonText(reply))).toBe(await textOf(replyAsJsonText({ body })));
    expect(sendableReply(replyAsJsonText(reply))).toEqual({ bodyParts: parts });
    const scalar = new BodyText<number>(['', '4', '2']);
    expect(sendableReply(replyAsJsonText({ body: scalar }))).toEqual({ body: 42 });
  });

  it("takes a handler's body text made a slice at a time: the wire's text is theirs, a gateway gets the slices", async () => {
    const body = { connections: [connection, connection, connection] };
    const item = JSON.stringify(connection);
    const slices = async function* () {
      yield ['{"connections":[', item];
      yield [',', item, ',', item];
      yield [']}'];
    };
    for (const etag of [undefined, 9]) {
      const reply = {
        body: new StreamedBodyText<typeof body>(slices),
        ...(etag === undefined ? {} : { etag }),
      };
      expect(await textOf(replyAsJsonText(reply))).toBe(await textOf(replyAsJsonText({ ...reply, body })));
      const sendable = sendableReply(replyAsJsonText(reply));
      expect(sendable.etag).toBe(etag);
      expect(sendable).toHaveProperty('bodySlices', slices);
    }
  });

  it('passes a reply that came over NATS, already values, as it is', () => {
    const reply = { body: [connection], etag: 2 };
    expect(sendableReply(reply)).toBe(reply);
    expect(openOperationReply(reply)).toBe(reply);
  });

  it('is immutable, so the in-process bus hands it over without a copy', () => {
    expect(Object.isFrozen(replyAsJsonText(replies[0]!))).toBe(true);
    expect(replyAsJsonText(replies[0]!)).toBeInstanceOf(JsonText);
  });
});
