import { once } from 'node:events';
import { createServer, type Server, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { handedOver, TAKEN } from './warm-hand-off.ts';

const handOff = { args: ['read', '--config', '/tmp/x/config.json'], cwd: '/tmp' };

/** Both ends of a real connection: `control` stands for the runtime's end of fd 3, `host` for the process's. */
const ends = async (server: Server) => {
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as { port: number };
  const control = new Socket();
  const [[host]] = await Promise.all([
    once(server, 'connection') as Promise<[Socket]>,
    once(control.connect(port, '127.0.0.1'), 'connect'),
  ]);
  return { control, host: host as Socket };
};

/** The line the host end receives (read without ending the connection, as the process reads it). */
const lineAt = (host: Socket) =>
  new Promise<unknown>((received) => {
    let text = '';
    host.setEncoding('utf8');
    host.on('data', (chunk: string) => {
      text += chunk;
      if (text.includes('\n')) received(JSON.parse(text.slice(0, text.indexOf('\n'))));
    });
  });

describe('the hand-off of a run to a process started ahead', () => {
  let server: Server;
  afterEach(() => new Promise((closed) => server.close(closed)));

  it('is taken once the process answers, which has the run’s command line', async () => {
    server = createServer();
    const { control, host } = await ends(server);
    const taken = handedOver(control, handOff);
    expect(await lineAt(host)).toEqual(handOff);
    host.end(TAKEN);
    expect(await taken).toBe(true);
  });

  it('is not taken when the process’s end closes unanswered', async () => {
    server = createServer();
    const { control, host } = await ends(server);
    const taken = handedOver(control, handOff);
    await lineAt(host);
    host.destroy();
    expect(await taken).toBe(false);
  });

  it('is not taken, at once, when the process’s end was seen closed before its exit', async () => {
    server = createServer();
    const { control, host } = await ends(server);
    host.end();
    control.resume();
    await once(control, 'close');
    expect(await handedOver(control, handOff)).toBe(false);
  });
});
