import { createInProcessBus } from '@ferry/bus';
import { operationById, subjectOf } from '@ferry/contracts';
import { BodyText, replyAsJsonText } from '@ferry/rpc';
import { describe, expect, it } from 'vitest';
import { buildGateway } from './app.ts';

const workspaceId = '5ae6b09b-fdec-41af-aaf7-7d94cfc33ef6';
const connection = { connectionId: 'c-1', name: 'é "quoted" \\ \n\u2028', schedule: null, at: new Date(0) };
const body = { connections: [connection, { ...connection, connectionId: 'c-2', skipped: undefined }] };

/** The HTTP answer to a connections list when the service answers `reply` on the bus. */
const answered = async (reply: unknown) => {
  const bus = createInProcessBus();
  await bus.handle(subjectOf(operationById('listConnectionsForWorkspace')), () => reply);
  const app = await buildGateway({ bus, version: 'test' });
  try {
    const url = '/api/v1/connections/list';
    const response = await app.inject({ method: 'POST', url, payload: { workspaceId } });
    const { 'content-type': type, 'content-length': length, etag } = response.headers;
    // Every header in its order, but the two that differ by call (its time and id) only by name.
    const headers = Object.entries(response.headers).map(([name, value]) =>
      name === 'date' || name === 'x-request-id' ? name : `${name}: ${value}`,
    );
    return { status: response.statusCode, type, length, etag, headers, bytes: response.rawPayload };
  } finally {
    await app.close();
    await bus.close();
  }
};

describe('a reply the service serialised (embedded mode)', () => {
  it('is sent as the bytes and headers fastify sends for the same reply as values (over NATS)', async () => {
    for (const reply of [{ body }, { body, etag: 7 }, { body: [connection] }]) {
      const asText = await answered(replyAsJsonText(reply));
      const asValues = await answered(JSON.parse(JSON.stringify(reply)));
      expect(asText.bytes.equals(asValues.bytes)).toBe(true);
      expect(asText).toEqual(asValues);
      expect(asText.type).toBe('application/json; charset=utf-8');
      expect(JSON.parse(asText.bytes.toString())).toEqual(JSON.parse(JSON.stringify(reply.body)));
    }
  });

  it.each([
    ['written into one buffer when larger than a chunk', 300],
    ['streamed in chunks when large', 3_000],
  ])('is %s, with the same bytes and headers (a length, not chunked)', async (_, count) => {
    // 300 KB or 3 MB in parts, multi-byte characters included: bytes unlike characters.
    const connections = Array.from({ length: count }, (_, i) => ({ ...connection, connectionId: `c-${i}` }));
    const items = connections.flatMap((c, i) => [
      ...(i > 0 ? [','] : []),
      JSON.stringify({ ...c, pad: 'x'.repeat(900) }),
    ]);
    const parts = ['{"connections":[', ...items, ']}'];
    const large = { connections: connections.map((c) => ({ ...c, pad: 'x'.repeat(900) })) };
    const reply = { body: new BodyText<typeof large>(parts), etag: 3 };
    const asParts = await answered(replyAsJsonText(reply));
    const asValues = await answered(JSON.parse(JSON.stringify({ body: large, etag: 3 })));
    expect(asParts.bytes.length).toBeGreaterThan(count * 1000);
    expect(asParts.bytes.equals(asValues.bytes)).toBe(true);
    // Megabytes compared as values would take minutes: the bytes are compared above.
    expect({ ...asParts, bytes: undefined }).toEqual({ ...asValues, bytes: undefined });
    expect(asParts.headers).not.toContainEqual(expect.stringMatching(/^transfer-encoding/));
  });
});
