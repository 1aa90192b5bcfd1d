import { connect } from 'node:net';
import { connect as connectNats } from 'nats';
import { expect, it } from 'vitest';
import { startNatsServer } from './nats-server.ts';

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

it('starts a server that accepts connections and stops it', async () => {
  const server = await startNatsServer();
  expect(server.url).toBe(`nats://127.0.0.1:${server.port}`);
  expect(await accepts(server.port)).toBe(true);
  await server.stop();
  expect(await accepts(server.port)).toBe(false);
});

it('restarts on the port of a killed server', async () => {
  const first = await startNatsServer();
  await first.kill9();
  await using second = await startNatsServer({ port: first.port });
  expect(await accepts(second.port)).toBe(true);
});

it('explains why a server does not start', async () => {
  await using taken = await startNatsServer();
  await expect(startNatsServer({ port: taken.port })).rejects.toThrow(/did not start on port/);
});

it('passes its arguments to the server', async () => {
  await using server = await startNatsServer({ args: ['--user', 'ferry', '--pass', 'secret'] });
  await expect(connectNats({ servers: server.url })).rejects.toThrow(/Authorization Violation/);
  const nc = await connectNats({ servers: server.url, user: 'ferry', pass: 'secret' });
  await nc.close();
});
