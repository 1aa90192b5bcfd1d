import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { keepAliveClient } from './keep-alive-client.ts';

/** A server on raw sockets that keeps each request's bytes and answers with `answer` (a whole HTTP reply). */
const recording = async (answer: string) => {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (bytes) => {
      requests.push(bytes.toString());
      socket.write(answer);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const close = async () => {
    for (const socket of sockets) socket.destroy();
    server.close();
    await once(server, 'close');
  };
  return { api: `http://127.0.0.1:${port}`, requests, connections: () => sockets.size, close };
};

describe('the benches’ keep-alive client', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('sends the very bytes fetch sends, and reads the answer to its last byte', async () => {
    const body = '{"sourceId":"s-1","name":"bench"}';
    const server = await recording(
      `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`,
    );
    cleanups.push(server.close);
    const client = keepAliveClient(server.api, 1);
    cleanups.push(async () => client.close());
    const sent = { workspaceId: 'w', name: 'bench 1', connectionConfiguration: { count: 1 } };
    const viaFetch = await fetch(`${server.api}/v1/sources/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(sent),
    });
    expect(await viaFetch.text()).toBe(body);
    expect(await client.post('/v1/sources/create', sent)).toEqual({ status: 200, text: body });
    const [fromFetch, fromClient] = server.requests;
    expect(fromClient).toBe(fromFetch);
  });

  it('keeps its connections open between calls and gives the status of an error answer', async () => {
    const server = await recording('HTTP/1.1 422 Unprocessable Entity\r\ncontent-length: 2\r\n\r\n{}');
    cleanups.push(server.close);
    const client = keepAliveClient(server.api, 2);
    cleanups.push(async () => client.close());
    for (let i = 0; i < 3; i++)
      await expect(Promise.all([client.post('/v1/x', { i }), client.post('/v1/x', { i })])).resolves.toEqual([
        { status: 422, text: '{}' },
        { status: 422, text: '{}' },
      ]);
    expect(server.requests).toHaveLength(6);
    expect(server.connections()).toBe(2);
  });
});
