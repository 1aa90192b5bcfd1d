import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';

/**
 * What a store behind the proxy meets on a new connection: the server, a server that is down (accepted and
 * closed at once), or a host that swallows packets (accepted, never answered).
 */
export type ProxyMode = 'forward' | 'refuse' | 'blackhole';

/** A TCP proxy in front of PostgreSQL, to take the server away from a store without touching the server. */
export interface TcpProxy {
  /** The connection string with its host and port replaced by the proxy's. */
  url: string;
  /** Cuts every open connection, as a server restart does. */
  cut(): void;
  /** How new connections are met from now on; open ones are left as they are (see `cut`). */
  mode(next: ProxyMode): void;
  close(): Promise<void>;
}

export async function startTcpProxy(connectionString: string): Promise<TcpProxy> {
  const target = new URL(connectionString);
  const sockets = new Set<Socket>();
  let mode: ProxyMode = 'forward';
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  };
  const server = createServer((client) => {
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
  const proxied = new URL(connectionString);
  proxied.host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const cut = () => {
    for (const socket of sockets) socket.destroy();
  };
  return {
    url: proxied.toString(),
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
