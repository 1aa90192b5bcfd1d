import { createServer, type Server, type Socket } from 'node:net';

/**
 * A listener that speaks just enough of the PostgreSQL wire protocol to ask a client for a cleartext
 * password, remember it and refuse the login. It lets a test see which password a connector really sends,
 * without a database whose authentication accepts anything.
 */
export interface PasswordTrap {
  port: number;
  /** Every password received, oldest first. */
  passwords: string[];
  close(): Promise<void>;
}

const message = (type: string, payload: Buffer) => {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(payload.length + 4, 1);
  return Buffer.concat([header, payload]);
};

const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};

const SSL_REQUEST = 80877103;
const AUTH_CLEARTEXT = 3;

const serve = (socket: Socket, passwords: string[]) => {
  let buffer = Buffer.alloc(0);
  let started = false;
  socket.on('error', () => undefined);
  socket.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    while (true) {
      if (!started) {
        if (buffer.length < 8) return;
        const length = buffer.readInt32BE(0);
        if (buffer.length < length) return;
        const code = buffer.readInt32BE(4);
        buffer = buffer.subarray(length);
        if (code === SSL_REQUEST) {
          socket.write('N');
          continue;
        }
        started = true;
        socket.write(message('R', int32(AUTH_CLEARTEXT)));
        continue;
      }
      if (buffer.length < 5) return;
      const type = String.fromCharCode(buffer[0]!);
      const length = buffer.readInt32BE(1);
      if (buffer.length < length + 1) return;
      const payload = buffer.subarray(5, length + 1);
      buffer = buffer.subarray(length + 1);
      if (type === 'p') {
        passwords.push(payload.subarray(0, payload.indexOf(0)).toString('utf8'));
        const fields = Buffer.from(
          'SFATAL\0VFATAL\0C28P01\0Mpassword authentication failed (trap)\0\0',
          'utf8',
        );
        socket.end(message('E', fields));
        return;
      }
    }
  });
};

export const startPasswordTrap = async (): Promise<PasswordTrap> => {
  const passwords: string[] = [];
  const server: Server = createServer((socket) => serve(socket, passwords));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    passwords,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
