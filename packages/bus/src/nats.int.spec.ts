import { afterAll, beforeAll, expect, it } from 'vitest';
import { busContract } from './contract-suite.ts';
import { connectNatsBus } from './nats.ts';
import { type NatsServer, startNatsServer } from './testing/nats-server.ts';

let server: NatsServer;
beforeAll(async () => {
  server = await startNatsServer();
});
afterAll(() => server.stop());

busContract('nats', async () => {
  const bus = await connectNatsBus({ servers: server.url, name: 'contract-bus' });
  const second = await connectNatsBus({ servers: server.url, name: 'contract-second' });
  return { bus, second, cleanup: async () => void (await Promise.all([bus.close(), second.close()])) };
});

it('describes the server it is connected to', async () => {
  const bus = await connectNatsBus({ servers: server.url });
  expect(bus.describe()).toMatch(/^nats \d+\.\d+\.\d+ at nats:\/\/127\.0\.0\.1:\d+$/);
  await bus.close();
});

it('fails to connect with an error naming the server', async () => {
  const gone = await startNatsServer();
  await gone.stop();
  await expect(connectNatsBus({ servers: gone.url })).rejects.toThrow(
    `Cannot connect to NATS at ${gone.url}`,
  );
});
