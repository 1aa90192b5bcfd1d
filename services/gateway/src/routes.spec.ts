import { createInProcessBus } from '@ferry/bus';
import { operationById, subjectOf } from '@ferry/contracts';
import { replyAsJsonText } from '@ferry/rpc';
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
    return { status: response.statusCode, type, length, etag, bytes: response.rawPayload };
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
});
