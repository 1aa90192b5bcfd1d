import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';

/** A TCP proxy in front of PostgreSQL, to take the server away from a store without touching the server. */
export interface TcpProxy {
  /** `url` with its host and port replaced by the proxy's. */
  url: string;
  /** Connections accepted so far. */
  accepted(): number;
  /** Cuts every open connection, as a server restart does. */
  cut(): void;
  /** From now on new connections are accepted and closed at once (refuse), never answered, or forwarded. */
  mode(next: 'forward' | 'refuse' | 'blackhole'): void;
  close(): Promise<void>;
}

export async function startTcpProxy(url: string): Promise<TcpProxy> {
  const target = new URL(url);
  const sockets = new Set<Socket>();
  let mode: 'forward' | 'refuse' | 'blackhole' = 'forward';
  let accepted = 0;
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  };
  const server = createServer((client) => {
    accepted += 1;
    track(client);
    if (mode === 'refuse') client.destroy();
    if (mode !== 'forward') return;
    const upstream = connect(Number(target.port || 5432), target.hostname);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const proxied = new URL(url);
  proxied.host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const cut = () => {
    for (const socket of sockets) socket.destroy();
  };
  return {
    url: proxied.toString(),
    accepted: () => accepted,
    cut,
    mode: (next) => {
      mode = next;
    },
    async close() {
      cut();
      await new Promise((done) => server.close(done));
    },
  };
}
