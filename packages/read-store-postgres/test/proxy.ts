import { createConnection, createServer, type Socket } from 'node:net';

/**
 * What a store behind the proxy sees: a server that answers, one that is down (every connection closes
 * at once), or a host that swallows packets (connections open but nothing ever answers).
 */
export type ProxyMode = 'forward' | 'down' | 'silent';

export interface TcpProxy {
  /** `connectionString` with its host and port replaced by the proxy's. */
  url: string;
  /** Drops every open connection, as a server restart does, and treats new ones as `mode` says. */
  switchTo(mode: ProxyMode): void;
  close(): Promise<void>;
}

/** A TCP proxy in front of the test PostgreSQL, so a test can take "the server" away without stopping it. */
export async function startTcpProxy(connectionString: string): Promise<TcpProxy> {
  const target = new URL(connectionString);
  const sockets = new Set<Socket>();
  let mode: ProxyMode = 'forward';
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = createServer((client) => {
    track(client);
    if (mode === 'down') client.destroy();
    if (mode !== 'forward') return;
    const upstream = createConnection({ host: target.hostname, port: Number(target.port || 5432) });
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the proxy has no TCP address');
  const url = new URL(connectionString);
  url.hostname = '127.0.0.1';
  url.port = String(address.port);
  const dropAll = () => {
    for (const socket of sockets) socket.destroy();
  };
  return {
    url: url.toString(),
    switchTo(next) {
      mode = next;
      dropAll();
    },
    close: () =>
      new Promise<void>((resolve) => {
        dropAll();
        server.close(() => resolve());
      }),
  };
}
